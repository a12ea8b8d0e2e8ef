import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readRecord, recordName, recordText } from './record.ts';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * The only writer. Each file goes to a temporary name beside it and is renamed into place, so a reader (or an
 * interrupted run) sees the old or the new file, never half of one. Files a previous run recorded and this run
 * no longer produces are removed when `owned` says they are ours to manage; nothing unrecorded is touched.
 */
export async function writeOutputs(outDir: string, files: Map<string, string>, owned: (path: string) => boolean, shownDir: string): Promise<WriteResult> {
  await ensureFolder(outDir, shownDir);
  const previous = await readRecord(outDir);
  await removeLeftoverTemps(outDir, [...files.keys(), ...previous]);
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  // File operations run concurrently: most of a small run's time is otherwise spent waiting on the disk one by one.
  const current = await Promise.all([...files.keys()].map((path) => currentText(join(outDir, path))));
  const changed = new Map<string, string>();
  [...files].forEach(([path, text], i) => {
    if (current[i] === text) result.unchanged.push(path);
    else changed.set(path, text);
  });
  // Stage every changed file first: a full disk or a permission problem then fails before any document changes.
  const staged = await Promise.allSettled([...changed].map(async ([path, text]) => [await stage(join(outDir, path), text), join(outDir, path)] as const));
  const failed = staged.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(staged.map((s) => (s.status === 'fulfilled' ? rm(s.value[0], { force: true }).catch(() => undefined) : undefined)));
    throw ioError(failed.reason, shownDir);
  }
  await Promise.all(staged.map((s) => (s.status === 'fulfilled' ? rename(s.value[0], s.value[1]) : undefined)));
  result.written.push(...changed.keys());
  const stale = previous.filter((p) => !files.has(p) && owned(p));
  for (const path of stale) {
    await rm(join(outDir, path), { force: true });
    result.removed.push(path);
    if (path.includes('/')) await rmdir(join(outDir, dirname(path))).catch(() => undefined); // only if now empty
  }
  const kept = previous.filter((p) => !files.has(p) && !owned(p));
  await atomicWrite(join(outDir, recordName), recordText([...files.keys(), ...kept]), shownDir);
  return result;
}

export interface CheckResult {
  missing: string[];
  stale: { path: string; expected: string; actual: string }[];
  extra: string[];
}

/** What `--check` reports: files that differ from what would be generated, are missing, or should have been removed. */
export async function checkOutputs(outDir: string, files: Map<string, string>, owned: (path: string) => boolean): Promise<CheckResult> {
  const result: CheckResult = { missing: [], stale: [], extra: [] };
  const current = await Promise.all([...files.keys()].map((path) => currentText(join(outDir, path))));
  [...files].forEach(([path, expected], i) => {
    const actual = current[i];
    if (actual === undefined) result.missing.push(path);
    else if (actual !== expected) result.stale.push({ path, expected, actual });
  });
  for (const path of await readRecord(outDir)) {
    if (!files.has(path) && owned(path) && (await currentText(join(outDir, path))) !== undefined) result.extra.push(path);
  }
  return result;
}

const tempName = /^\.[0-9a-f]{12}\.tmp$/;

/** A run killed between staging and renaming leaves its temporary files behind; the next run clears them. */
async function removeLeftoverTemps(outDir: string, paths: string[]): Promise<void> {
  const dirs = new Set(paths.map((p) => (p.includes('/') ? join(outDir, dirname(p)) : outDir)));
  await Promise.all([...dirs].map(async (dir) => {
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => tempName.test(n)).map((n) => rm(join(dir, n), { force: true })));
  }));
}

async function currentText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function ensureFolder(dir: string, shown: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (s && !s.isDirectory()) throw new UsageError('out-not-a-folder', `${shown} exists and is not a folder`, 'choose another --out folder, or move that file away');
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw ioError(e, shown);
  }
}

/** Writes `text` to a temporary file beside `path` and returns its name; the caller renames it into place. */
async function stage(path: string, text: string): Promise<string> {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, text, { flush: true });
    return temp;
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

async function atomicWrite(path: string, text: string, shownDir: string): Promise<void> {
  try {
    await rename(await stage(path, text), path);
  } catch (e) {
    throw ioError(e, shownDir);
  }
}

function ioError(e: unknown, shownDir: string): UsageError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  const why: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is exceeded', ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'a folder stands where a file must be written',
  };
  return new UsageError('cannot-write', `cannot write into ${shownDir}: ${why[code] ?? code}`, 'fix the folder (space, permissions) or choose another --out; files written before are left as they were');
}
