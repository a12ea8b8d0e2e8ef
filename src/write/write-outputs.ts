import { lstat, open, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import {
  applyJournal,
  journalPending,
  newTempName,
  readJournal,
  tempName,
  writeJournal,
  type Journal,
} from './journal.ts';
import { acquireLock } from './lock.ts';
import {
  environmentFolder,
  makeFolders,
  readExisting,
  refuseSpecialFileSystem,
  standsAt,
  type Existing,
} from './output-folder.ts';
import {
  ignoredEntries,
  isOutputPath,
  maxControlFileBytes,
  parseRecord,
  printable,
  recordName,
  recordText,
} from './record.ts';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Files an interrupted earlier run had staged, put in place before this run began. */
  completed: number;
}

export interface WriteOptions {
  /** Shown in messages instead of the absolute path. */
  shownDir: string;
  /** Replace files in the folder that generate did not write (not in its record). */
  force?: boolean;
  warn: (message: string) => void;
}

/** Files compared and staged at once: enough to keep the disk busy, few enough to keep memory flat for big manifests. */
const batchSize = 16;
/** A generated document is far smaller; a bigger file in its place is not one generate wrote. */
const maxOutputBytes = 16 * 1024 * 1024;

/**
 * The only writer. Under the folder's lock, files arrive lazily (rendered one by one), are compared with what is on
 * disk, and the changed ones are staged under temporary names beside their targets. Only when every file has been
 * rendered and staged are they renamed into place, following a journal that a run killed halfway leaves for the
 * next run to finish. So a template error, a full disk or a refusal changes nothing, each document is old or new,
 * never half of one, and after the next run the documents of an environment all come from one run. Files a previous
 * run recorded and this run no longer produces are removed when `owned` says they are ours to manage; nothing
 * generate cannot have written is overwritten (without `force`) or removed.
 */
export async function writeOutputs(
  outDir: string,
  files: Iterable<[string, string]>,
  owned: (path: string) => boolean,
  opts: WriteOptions,
): Promise<WriteResult> {
  const shown = opts.shownDir;
  await refuseSpecialFileSystem(outDir, shown);
  await guard(() => ensureFolder(outDir, shown), shown);
  const release = await guard(() => acquireLock(outDir, shown), shown);
  try {
    return await guard(() => writeLocked(outDir, files, owned, opts), shown);
  } finally {
    await release();
  }
}

async function writeLocked(
  outDir: string,
  files: Iterable<[string, string]>,
  owned: (path: string) => boolean,
  opts: WriteOptions,
): Promise<WriteResult> {
  const shown = opts.shownDir;
  const result: WriteResult = { written: [], unchanged: [], removed: [], completed: 0 };
  // The record is read first: a journal left behind may only complete what it lists (see applyJournal).
  const recordFile = await readExisting(join(outDir, recordName), maxControlFileBytes);
  const record = parseRecord(recordFile.kind === 'file' ? recordFile.text : undefined);
  if (recordFile.kind === 'other')
    record.problems.push(`${recordName} is ${recordFile.what}; it is ignored and replaced`);
  for (const p of record.problems) opts.warn(p);
  const previous = new Set([...record.files, ...record.others]);
  const interrupted = await readJournal(outDir, opts.warn);
  if (interrupted) {
    const done = await applyJournal(outDir, interrupted, opts.warn, new Set(record.files));
    result.completed = done.renamed;
    result.removed.push(...done.removed);
    // A file it had already renamed into place before the kill is this run's to replace, if this run writes it.
    for (const [, final] of interrupted.renames) if (isOutputPath(final)) previous.add(final);
  }
  await removeLeftoverTemps(outDir);

  const generated: string[] = [];
  const staged: [temp: string, final: string][] = [];
  const foreign: string[] = [];
  const folders = new Map<string, Promise<boolean>>();
  const prepare = async ([path, text]: [string, string]) => {
    const env = path.includes('/') ? path.slice(0, path.indexOf('/')) : undefined;
    if (env !== undefined) {
      if (!folders.has(env)) folders.set(env, environmentFolder(outDir, env, shown));
      await folders.get(env);
    }
    const current = await readExisting(join(outDir, path), maxOutputBytes);
    if (current.kind === 'file' && current.text === text) {
      result.unchanged.push(path);
      return;
    }
    if (current.kind === 'other' && current.what === 'a folder') {
      throw new UsageError(
        'folder-in-the-way',
        `${join(shown, path)} is a folder, but generate writes a file there`,
        'move that folder away, or choose another --out',
      );
    }
    if (current.kind !== 'absent' && !opts.force && !(current.kind === 'file' && previous.has(path))) {
      foreign.push(`${join(shown, path)}${describe(current)}`);
      return;
    }
    const temp = join(env ?? '', newTempName());
    staged.push([temp, path]);
    await stage(join(outDir, temp), text);
    result.written.push(path);
  };
  try {
    let batch: [string, string][] = [];
    const flush = async () => {
      const settled = await Promise.allSettled(batch.map(prepare));
      batch = [];
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
    };
    for (const file of files) {
      generated.push(file[0]);
      batch.push(file);
      if (batch.length === batchSize) await flush();
    }
    await flush();
    if (foreign.length) {
      throw new UsageError(
        'not-written-by-generate',
        `generate did not write ${foreign.length === 1 ? 'this file' : `these ${foreign.length} files`} (they are not in ${join(shown, recordName)}) and will not replace ${foreign.length === 1 ? 'it' : 'them'}:\n${foreign
          .slice(0, 20)
          .map((f) => `  ${f}`)
          .join('\n')}${foreign.length > 20 ? `\n  … and ${foreign.length - 20} more` : ''}`,
        'move them away, choose another --out, or run again with --force to replace them',
      );
    }
    const made = new Set(generated);
    for (const w of ignoredEntries(record.others.filter((p) => !made.has(p)))) opts.warn(w);
    const leaving = record.files.filter((p) => !made.has(p));
    const kept = leaving.filter((p) => !owned(p));
    const newRecord = recordText([...generated, ...kept]);
    if (!(recordFile.kind === 'file' && recordFile.text === newRecord)) {
      const temp = newTempName();
      await stage(join(outDir, temp), newRecord);
      staged.push([temp, recordName]);
    }
    const journal: Journal = { renames: [...staged], removes: leaving.filter((p) => owned(p)) };
    if (journal.renames.length + journal.removes.length > 0) {
      await writeJournal(outDir, journal);
      staged.length = 0; // from here on the journal owns them: a failure is finished by the next run
      result.removed.push(...(await applyJournal(outDir, journal, opts.warn)).removed);
    }
  } catch (e) {
    await Promise.all(staged.map(([temp]) => rm(join(outDir, temp), { force: true }).catch(() => undefined)));
    // Folders this run created are empty again: remove them, so a refused run leaves nothing behind.
    const created = await Promise.all(
      [...folders].map(async ([env, made]) => ((await made.catch(() => false)) ? env : undefined)),
    );
    await Promise.all(created.map((env) => env && rmdir(join(outDir, env)).catch(() => undefined)));
    throw e;
  }
  return result;
}

const describe = (e: Existing): string => (e.kind === 'other' ? ` (${e.what})` : '');

export interface OutputsCheck {
  files: number;
  missing: string[];
  stale: { path: string; expected: string; actual: string }[];
  extra: string[];
  /** A run was killed while renaming its files into place; the next generate finishes it. */
  interrupted: boolean;
}

/** What `--check` reports: files that differ from what would be generated, are missing, or should have been removed. */
export async function checkOutputs(
  outDir: string,
  files: Iterable<[string, string]>,
  owned: (path: string) => boolean,
): Promise<OutputsCheck> {
  const result: OutputsCheck = {
    files: 0,
    missing: [],
    stale: [],
    extra: [],
    interrupted: await journalPending(outDir),
  };
  const made = new Set<string>();
  for (const [path, expected] of files) {
    made.add(path);
    result.files++;
    const actual = await readExisting(join(outDir, path), maxOutputBytes);
    if (actual.kind === 'absent') result.missing.push(path);
    else if (actual.kind === 'other') result.stale.push({ path, expected, actual: `(${actual.what})\n` });
    else if (actual.text !== expected) result.stale.push({ path, expected, actual: actual.text });
  }
  const recordFile = await readExisting(join(outDir, recordName), maxControlFileBytes);
  for (const path of parseRecord(recordFile.kind === 'file' ? recordFile.text : undefined).files) {
    if (!made.has(path) && owned(path) && (await standsAt(join(outDir, path)))) result.extra.push(path);
  }
  return result;
}

/** A run killed before its journal was written leaves temporary files behind; the next run clears them. */
async function removeLeftoverTemps(outDir: string): Promise<void> {
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  const dirs = [outDir, ...entries.filter((e) => e.isDirectory()).map((e) => join(outDir, e.name))];
  await Promise.all(
    dirs.map(async (dir) => {
      const names = await readdir(dir).catch(() => [] as string[]);
      await Promise.all(
        names
          .filter((n) => tempName.test(n))
          .map(async (n) => {
            if ((await lstat(join(dir, n)).catch(() => undefined))?.isFile()) await rm(join(dir, n), { force: true });
          }),
      );
    }),
  );
}

async function ensureFolder(dir: string, shown: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (s && !s.isDirectory())
    throw new UsageError(
      'out-not-a-folder',
      `${shown} exists and is not a folder`,
      'choose another --out folder, or move that file away',
    );
  await makeFolders(dir);
}

/** Writes `text` to a new temporary file (created exclusively: never through a planted link) and flushes it. */
async function stage(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true }).catch(() => undefined);
    throw e;
  }
  await handle.close();
}

/** Turns file system errors into a usage error that says what is wrong with the folder. */
async function guard<T>(f: () => Promise<T>, shownDir: string): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof UsageError || !(e as NodeJS.ErrnoException).code) throw e;
    throw ioError(e, shownDir);
  }
}

function ioError(e: unknown, shownDir: string): UsageError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exceeded',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'a folder stands where a file must be written',
    ELOOP: 'too many symbolic links in the path',
  };
  return new UsageError(
    'cannot-write',
    `cannot write into ${printable(shownDir)}: ${why[code] ?? code}`,
    'fix the folder (space, permissions) or choose another --out; files written before are left as they were',
  );
}
