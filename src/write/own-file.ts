import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { printable } from './record.ts';

export interface OwnFileOptions {
  /** The path as the user gave it, for messages. */
  shownAs: string;
  /** The flag that named the file (`--ics`), for the fix. */
  flag: string;
  mode: number;
  /** Replace a file the tool did not write. */
  force: boolean;
  /** Whether the first bytes of an existing file show that the tool wrote it. */
  isOurs: (head: string) => boolean;
}

/**
 * Writes a file the user named (a calendar): never through a symbolic link, never over a file the tool did not write
 * unless `force`, and staged beside the target (created exclusively, not following a link) then renamed over it, so
 * a reader sees the old file or the new one, never half of one.
 */
export async function writeOwnFile(path: string, text: string, o: OwnFileOptions): Promise<void> {
  const shown = printable(o.shownAs);
  const refuse = (why: string, fix: string) => new UsageError('file-refused', `will not write ${shown}: ${why}`, fix);
  const cannot = (e: unknown) =>
    new UsageError(
      'cannot-write',
      `cannot write ${shown} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      `choose a writable path for ${o.flag}`,
    );
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(
      'cannot-write',
      `cannot write ${shown}: its folder does not exist`,
      `create the folder first, or choose another path for ${o.flag}`,
    );
  const existing = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw cannot(e);
  });
  if (existing?.isSymbolicLink())
    throw refuse('it is a symbolic link', 'give the real path of the file, or a new name');
  if (existing && !existing.isFile()) throw refuse('it is not a regular file', `give a file name for ${o.flag}`);
  if (existing && !o.force && !o.isOurs(await head(path)))
    throw refuse(
      'a file mail-oauth-runbook did not write is there',
      'choose another file name, or add --force to replace it',
    );
  const staged = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(
      staged,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      o.mode,
    );
    await handle.writeFile(text);
    await handle.chmod(o.mode); // the umask does not decide who can read it
    await handle.close();
    handle = undefined;
    await rename(staged, path); // replaces a link planted since the check, never follows it
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await rm(staged, { force: true }).catch(() => undefined);
    throw cannot(e);
  }
}

/** The first kilobyte of a regular file, read without following a link or blocking on a special file. */
async function head(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(
    () => undefined,
  );
  if (!handle) return '';
  try {
    const buf = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
