import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readExisting } from './output-folder.ts';

/** Held while a generate changes an output folder, so two runs never interleave their files. */
export const lockName = '.mail-oauth-runbook.lock';

/** How long a second run waits for the first before giving up. */
export const lockWaitMs = 3000;
/** A lock file still empty after this long was left by a run killed while creating it. */
const emptyLockStaleMs = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Takes the folder's lock (a file created exclusively, holding our pid) and returns its release. A lock whose
 * process no longer runs is stale and taken over; a live one is waited for, then refused with exit 2.
 */
export async function acquireLock(outDir: string, shown: string, waitMs = lockWaitMs): Promise<() => Promise<void>> {
  const path = join(outDir, lockName);
  const mine = `${JSON.stringify({ pid: process.pid, tool: 'mail-oauth-runbook' })}\n`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    // The pid is written to a file of our own first and linked into place (link fails if the lock exists), so the
    // lock never exists empty: a run killed while taking it leaves no lock that looks held.
    const temp = await ownTempFile(path, mine);
    try {
      try {
        await link(temp, path);
      } finally {
        await unlink(temp).catch(() => undefined);
      }
      await removeStaleTemps(outDir);
      return async () => {
        const now = await readExisting(path, 4096).catch(() => undefined);
        if (now?.kind === 'file' && now.text === mine) await unlink(path).catch(() => undefined);
      };
    } catch (e) {
      // ENOENT: another run took our temporary file for a killed run's (it was still empty): draw another.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = await readExisting(path, 4096).catch(() => undefined);
    const pid = held?.kind === 'file' ? holder(held.text) : undefined;
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    const stale =
      held?.kind === 'other' || (pid === undefined ? age > emptyLockStaleMs : pid !== process.pid && !alive(pid));
    if (stale) {
      // Re-read just before removing, so a lock another run took in between is left alone.
      const again = await readExisting(path, 4096).catch(() => undefined);
      if (held?.kind !== 'file' || (again?.kind === 'file' && again.text === held.text))
        await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new UsageError(
        'output-locked',
        `another generate${pid ? ` (process ${pid})` : ''} is writing into ${shown}`,
        `wait for it to finish and run again; if no such process runs any more, delete ${join(shown, lockName)}`,
      );
    }
    await sleep(50 + Math.floor(Math.random() * 100));
  }
}

/**
 * A new file beside the lock holding `text`. Its name is random and it is created exclusively without following a
 * final link (the folder is untrusted: a link planted at a predictable name such as the pid's would be written
 * through to wherever it points).
 */
async function ownTempFile(lockPath: string, text: string): Promise<string> {
  for (;;) {
    const temp = `${lockPath}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, createNew, 0o644).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') return undefined; // planted (or, rarely, a name drawn twice): draw another
      throw e;
    });
    if (!handle) continue;
    try {
      await handle.writeFile(text);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    } finally {
      await handle.close();
    }
    return temp;
  }
}

/**
 * A run killed between creating its temporary file and unlinking it leaves one. A temporary file holds its run's pid,
 * as the lock does: one whose process no longer runs is removed at once, and so is an empty one (a run killed before
 * writing its pid; a live run that loses its file this way draws another); one that names no pid, after a while.
 */
async function removeStaleTemps(outDir: string): Promise<void> {
  const names = await readdir(outDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => tempOfLock.test(n))) {
    const path = join(outDir, name);
    const s = await lstat(path).catch(() => undefined);
    if (!s?.isFile()) continue;
    const held = await readExisting(path, 4096).catch(() => undefined);
    const pid = held?.kind === 'file' ? holder(held.text) : undefined;
    const stale =
      pid !== undefined
        ? pid !== process.pid && !alive(pid)
        : s.size === 0 || Date.now() - s.mtimeMs > emptyLockStaleMs;
    if (stale) await unlink(path).catch(() => undefined);
  }
}

const tempOfLock = new RegExp(`^${lockName.replace(/\./g, '\\.')}\\.[0-9a-f]{12}\\.tmp$`);
const createNew = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

function holder(text: string): number | undefined {
  try {
    const pid = (JSON.parse(text) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
