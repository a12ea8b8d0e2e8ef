import { randomBytes } from 'node:crypto';
import { lstat, open, rename, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readExisting, resolvesInside, standsAt } from './output-folder.ts';
import { isOutputPath, maxControlFileBytes, printable, recordName } from './record.ts';

/**
 * The list of renames and removals that turn the staged files into the new output. It is written (and flushed)
 * before the first rename and deleted after the last, so a run killed in between leaves it behind and the next run
 * finishes the same renames first: an environment's documents are then all from one run again.
 */
export const journalName = '.mail-oauth-runbook.journal';

export interface Journal {
  renames: [temp: string, final: string][];
  removes: string[];
}

export const tempName = /^\.[0-9a-f]{12}\.tmp$/;
export const newTempName = (): string => `.${randomBytes(6).toString('hex')}.tmp`;

/** Writes the journal durably (temporary file, flush, rename). */
export async function writeJournal(outDir: string, journal: Journal): Promise<void> {
  const temp = join(outDir, newTempName());
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(`${JSON.stringify({ generatedBy: 'mail-oauth-runbook', ...journal })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(outDir, journalName));
}

export const journalPending = async (outDir: string): Promise<boolean> =>
  (await readExisting(join(outDir, journalName), maxControlFileBytes)).kind !== 'absent';

/**
 * Carries out a journal: renames each staged file still present over its target, removes each listed file, then
 * puts the new record in place (last, so that until then the record on disk still lists the files to remove) and
 * deletes the journal. Only renames of our temporary names onto names generate writes, in the same folder, are done.
 *
 * A journal left by an interrupted run lies in the untrusted folder, as a pull request can plant it. For one, pass
 * `recorded` (the files the record on disk lists): it may then only rename onto those names and remove those files,
 * so it can neither delete nor overwrite a file the tool did not write; its staged record is not put in place (this
 * run writes its own), and a rename onto a name the record does not list is left to this run, which writes its own
 * copy of every file it generates. Anything skipped is reported.
 */
export async function applyJournal(
  outDir: string,
  journal: Journal,
  warn: (m: string) => void,
  recorded?: ReadonlySet<string>,
): Promise<{ renamed: number; removed: string[] }> {
  let renamed = 0;
  const skip = (temp: string, final: string, why: string) =>
    warn(`${journalName}: skipped renaming "${printable(temp)}" to "${printable(final)}" (${why})`);
  const renames = journal.renames.filter(([, final]) => final !== recordName);
  const record = journal.renames.filter(([, final]) => final === recordName);
  const rename1 = async ([temp, final]: [string, string]) => {
    if (
      !(final === recordName || isOutputPath(final)) ||
      dirname(temp) !== dirname(final) ||
      !tempName.test(temp.split('/').pop()!) ||
      !(await realFolder(outDir, final))
    )
      return skip(temp, final, 'not a file generate writes');
    const t = await lstat(join(outDir, temp)).catch(() => undefined);
    if (!t) {
      renamed++; // renamed before the interruption
      return;
    }
    if (recorded && final === recordName) return; // this run writes its own record
    if (recorded && !recorded.has(final))
      return skip(temp, final, `not in ${recordName}; this run writes its own copy if it still generates it`);
    // One name only: a hard link to a file elsewhere is not a file this tool staged.
    if (!t.isFile() || t.nlink !== 1) return skip(temp, final, 'not a regular file');
    await rename(join(outDir, temp), join(outDir, final));
    renamed++;
  };
  for (const r of renames) await rename1(r);
  const removed: string[] = [];
  for (const path of journal.removes) {
    if (recorded && !recorded.has(path)) {
      if (await standsAt(join(outDir, path)))
        warn(`${journalName}: left ${printable(path)} alone: not in ${recordName}`);
    } else if (await removeOutput(outDir, path, warn)) removed.push(path);
  }
  for (const r of record) await rename1(r);
  await unlink(join(outDir, journalName)).catch(() => undefined);
  return { renamed, removed };
}

/** Reads a journal a killed run left behind; a damaged one is reported and dropped (its temporary files are then cleared). */
export async function readJournal(outDir: string, warn: (m: string) => void): Promise<Journal | undefined> {
  const path = join(outDir, journalName);
  const found = await readExisting(path, maxControlFileBytes);
  if (found.kind === 'absent') return undefined;
  const drop = async (why: string) => {
    warn(`${journalName} (left by an interrupted run) ${why}; it is ignored`);
    if (found.kind === 'file') await unlink(path).catch(() => undefined);
    return undefined;
  };
  if (found.kind === 'other') return drop(`is ${found.what}`);
  try {
    const j = JSON.parse(found.text) as { generatedBy?: unknown; renames?: unknown; removes?: unknown };
    const pairs =
      Array.isArray(j.renames) &&
      j.renames.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'));
    const names = Array.isArray(j.removes) && j.removes.every((s) => typeof s === 'string');
    if (j.generatedBy !== 'mail-oauth-runbook' || !pairs || !names)
      return drop('is not a journal written by mail-oauth-runbook');
    return { renames: j.renames as [string, string][], removes: j.removes as string[] };
  } catch {
    return drop('is not valid JSON');
  }
}

/**
 * Removes one output file named by a record or journal, only if generate can have written it, it is a regular file
 * (not a link, not a folder), its folder is a real folder inside --out, and it resolves inside --out. An emptied
 * environment folder is removed too. Returns whether the file was removed.
 */
export async function removeOutput(outDir: string, path: string, warn: (m: string) => void): Promise<boolean> {
  const skip = (why: string) => {
    warn(`left ${printable(path)} alone: ${why}`);
    return false;
  };
  if (!isOutputPath(path)) return skip('generate never writes a file of that name');
  if (!(await realFolder(outDir, path))) return skip('its folder is a symbolic link or not a folder');
  const full = join(outDir, path);
  const s = await lstat(full).catch(() => undefined);
  if (!s) return false;
  if (!s.isFile())
    return skip(
      `it is ${s.isSymbolicLink() ? 'a symbolic link' : s.isDirectory() ? 'a folder' : 'a special file'}, not a file generate wrote`,
    );
  if (!(await resolvesInside(outDir, full))) return skip('it resolves outside the output folder');
  await unlink(full);
  if (path.includes('/')) await rmdir(dirname(full)).catch(() => undefined); // only if now empty
  return true;
}

/** A path's environment folder (if any) is a real folder, not a link. */
async function realFolder(outDir: string, path: string): Promise<boolean> {
  if (!path.includes('/')) return true;
  const s = await lstat(join(outDir, dirname(path))).catch(() => undefined);
  return Boolean(s?.isDirectory());
}
