import { constants, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../../errors.ts';

/** The last line of every record verify writes: how it knows a file at the --report path is its own. */
export const reportMark = '<!-- verification record written by mail-oauth-runbook verify -->';

/**
 * Writes the verification record: readable by its owner only (0600), never through a symlink, and never over a file
 * that is not a record verify wrote unless `force`. The text is staged beside the target and renamed over it, so a
 * reader sees the old record or the new one, never half of one.
 */
export async function writeReportFile(
  path: string,
  text: string,
  opts: { force: boolean; shownAs: string },
): Promise<void> {
  await checkReportTarget(path, opts); // again: the folder may have changed while verify ran
  const staged = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    // O_EXCL and O_NOFOLLOW: the staged name is new, and a symlink planted under it is not followed.
    handle = await fs.open(
      staged,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
    await handle.writeFile(`${text.endsWith('\n') ? text : `${text}\n`}${reportMark}\n`);
    await handle.close();
    handle = undefined;
    await fs.rename(staged, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(staged, { force: true }).catch(() => undefined);
    throw cannotWrite(opts.shownAs, e as NodeJS.ErrnoException);
  }
}

/**
 * Whether the report can be written there, checked before verify sends anything so that a wrong --report path does
 * not cost a whole run: the folder exists and is writable, and what is at the path may be replaced.
 */
export async function checkReportTarget(path: string, opts: { force: boolean; shownAs: string }): Promise<void> {
  const refuse = (why: string, fix: string) =>
    new UsageError('report-refused', `will not write the report ${opts.shownAs}: ${why}`, fix);
  const folder = await fs.stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(
      'cannot-write',
      `cannot write the report ${opts.shownAs}: its folder does not exist`,
      'create the folder first, or choose another path for --report',
    );
  await fs.access(dirname(path), constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    throw cannotWrite(opts.shownAs, e);
  });
  const existing = await fs.lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw cannotWrite(opts.shownAs, e);
  });
  if (existing?.isSymbolicLink())
    throw refuse('it is a symbolic link', 'give the real path of the file, or a new file name');
  if (existing && !existing.isFile()) throw refuse('it is not a regular file', 'give a file name for --report');
  if (existing && !opts.force && !(await isOurs(path)))
    throw refuse('a file that verify did not write is there', 'choose another file name, or add --force to replace it');
}

async function isOurs(path: string): Promise<boolean> {
  const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => undefined);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    const tail = Buffer.alloc(reportMark.length + 1);
    const { bytesRead } = await handle.read(tail, 0, tail.length, Math.max(0, size - tail.length));
    return tail.subarray(0, bytesRead).toString('utf8') === `${reportMark}\n`;
  } finally {
    await handle.close();
  }
}

const cannotWrite = (shownAs: string, e: NodeJS.ErrnoException) =>
  new UsageError(
    'cannot-write',
    `cannot write the report ${shownAs} (${e.code ?? 'error'})`,
    'choose a writable path for --report',
  );
