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
  const changed = new Map<string, string>();
  for (const [path, text] of files) {
    if ((await currentText(join(outDir, path))) === text) result.unchanged.push(path);
    else changed.set(path, text);
  }
  // Stage every changed file first: a full disk or a permission problem then fails before any document changes.
  const staged: [temp: string, final: string][] = [];
  try {
    for (const [path, text] of changed) staged.push([await stage(join(outDir, path), text), join(outDir, path)]);
  } catch (e) {
    await Promise.all(staged.map(([temp]) => rm(temp, { force: true }).catch(() => undefined)));
    throw ioError(e, shownDir);
  }
  for (const [temp, final] of staged) await rename(temp, final);
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
  for (const [path, expected] of files) {
    const actual = await currentText(join(outDir, path));
    if (actual === undefined) result.missing.push(path);
    else if (actual !== expected) result.stale.push({ path, expected, actual });
  }
  for (const path of await readRecord(outDir)) {
    if (!files.has(path) && owned(path) && (await currentText(join(outDir, path))) !== undefined) result.extra.push(path);
  }
  return result;
}

const tempName = /^\.[0-9a-f]{12}\.tmp$/;

/** A run killed between staging and renaming leaves its temporary files behind; the next run clears them. */
async function removeLeftoverTemps(outDir: string, paths: string[]): Promise<void> {
  const dirs = new Set(paths.map((p) => (p.includes('/') ? join(outDir, dirname(p)) : outDir)));
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) if (tempName.test(name)) await rm(join(dir, name), { force: true });
  }
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
