import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { environmentOf } from '../plan/layout.ts';
import { readRecord, recordName, recordText } from './record.ts';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/** Files compared and staged at once: enough to keep the disk busy, few enough to keep memory flat for big manifests. */
const batchSize = 16;

/**
 * The only writer. Files arrive lazily (rendered one by one), are compared with what is on disk, and the changed
 * ones are staged under temporary names beside their targets. Only when every file has been rendered and staged
 * are they renamed into place, so a template error or a full disk changes nothing, and a reader (or a killed run)
 * sees each document old or new, never half of one. Files a previous run recorded and this run no longer produces
 * are removed when `owned` says they are ours to manage; nothing unrecorded is touched.
 */
export async function writeOutputs(outDir: string, files: Iterable<[string, string]>, owned: (path: string) => boolean, shownDir: string): Promise<WriteResult> {
  await ensureFolder(outDir, shownDir);
  const previous = await readRecord(outDir);
  await removeLeftoverTemps(outDir);
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  const generated: string[] = [];
  const staged: [temp: string, final: string][] = [];
  const flush = async (batch: [string, string][]) => {
    const current = await Promise.all(batch.map(([path]) => currentText(join(outDir, path))));
    const changed = batch.filter(([path, text], i) => {
      if (current[i] === text) result.unchanged.push(path);
      return current[i] !== text;
    });
    const settled = await Promise.allSettled(changed.map(([path, text]) => stage(join(outDir, path), text)));
    settled.forEach((s, i) => s.status === 'fulfilled' && staged.push([s.value, join(outDir, changed[i]![0])]));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw ioError(failed.reason, shownDir);
    result.written.push(...changed.map(([path]) => path));
  };
  try {
    let batch: [string, string][] = [];
    for (const file of files) {
      generated.push(file[0]);
      batch.push(file);
      if (batch.length === batchSize) {
        await flush(batch);
        batch = [];
      }
    }
    await flush(batch);
  } catch (e) {
    await Promise.all(staged.map(([temp]) => rm(temp, { force: true }).catch(() => undefined)));
    throw e;
  }
  await Promise.all(staged.map(([temp, final]) => rename(temp, final)));
  const made = new Set(generated);
  for (const path of previous.filter((p) => !made.has(p) && owned(p))) {
    await rm(join(outDir, path), { force: true });
    result.removed.push(path);
    if (environmentOf(path)) await rmdir(join(outDir, dirname(path))).catch(() => undefined); // only if now empty
  }
  const kept = previous.filter((p) => !made.has(p) && !owned(p));
  const record = recordText([...generated, ...kept]);
  if ((await currentText(join(outDir, recordName))) !== record) await atomicWrite(join(outDir, recordName), record, shownDir);
  return result;
}

export interface CheckResult {
  files: number;
  missing: string[];
  stale: { path: string; expected: string; actual: string }[];
  extra: string[];
}

/** What `--check` reports: files that differ from what would be generated, are missing, or should have been removed. */
export async function checkOutputs(outDir: string, files: Iterable<[string, string]>, owned: (path: string) => boolean): Promise<CheckResult> {
  const result: CheckResult = { files: 0, missing: [], stale: [], extra: [] };
  const made = new Set<string>();
  for (const [path, expected] of files) {
    made.add(path);
    result.files++;
    const actual = await currentText(join(outDir, path));
    if (actual === undefined) result.missing.push(path);
    else if (actual !== expected) result.stale.push({ path, expected, actual });
  }
  for (const path of await readRecord(outDir)) {
    if (!made.has(path) && owned(path) && (await currentText(join(outDir, path))) !== undefined) result.extra.push(path);
  }
  return result;
}

const tempName = /^\.[0-9a-f]{12}\.tmp$/;

/** A run killed between staging and renaming leaves its temporary files behind; the next run clears them. */
async function removeLeftoverTemps(outDir: string): Promise<void> {
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  const dirs = [outDir, ...entries.filter((e) => e.isDirectory()).map((e) => join(outDir, e.name))];
  await Promise.all(dirs.map(async (dir) => {
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
