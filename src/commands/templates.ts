import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, rmdir, stat, unlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Io } from '../io.ts';
import { UsageError } from '../errors.ts';
import { packageRoot } from '../paths.ts';
import { makeFolders } from '../write/output-folder.ts';
import { printable } from '../write/record.ts';

export const defaultTemplatesDir = 'templates';

/**
 * Copies the bundled templates into a folder to start an override set from. Nothing is overwritten and nothing is
 * written through a link: every name it would create (file or sub-folder) is looked at with lstat first, so a
 * dangling link counts as in the way, and when anything is in the way nothing is copied at all.
 */
export async function templatesCommand(opts: { out?: string }, io: Io): Promise<void> {
  const shown = opts.out ?? defaultTemplatesDir;
  const target = resolve(io.cwd, shown);
  const source = join(packageRoot(), 'templates');
  const names = (await readdir(source, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => relative(source, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
  // Every folder on the way to a file, parents first.
  const folders = [
    ...new Set(
      names.flatMap((n) =>
        n
          .split('/')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
      ),
    ),
  ].sort();

  const out = await stat(target).catch(() => undefined); // --out itself may be a link to a folder: the user's choice
  if (out && !out.isDirectory())
    throw new UsageError('file-exists', `${printable(shown)} is not a folder`, 'choose a folder with --out');
  const inTheWay: string[] = [];
  const blocked = new Set<string>();
  for (const folder of folders) {
    if ([...blocked].some((b) => folder.startsWith(`${b}/`))) continue;
    const what = await standing(join(target, folder));
    if (what && what !== 'a folder') {
      blocked.add(folder);
      inTheWay.push(`${folder} (${what}, where a folder goes)`);
    }
  }
  for (const name of names.filter((n) => ![...blocked].some((b) => n.startsWith(`${b}/`)))) {
    const what = await standing(join(target, name));
    if (what) inTheWay.push(`${name} (${what})`);
  }
  if (inTheWay.length) {
    throw new UsageError(
      'file-exists',
      `${printable(shown)} already holds ${inTheWay.slice(0, 3).map(printable).join(', ')}${inTheWay.length > 3 ? ` and ${inTheWay.length - 3} more` : ''}; templates never overwrites a file and copied nothing`,
      'choose another folder with --out, or delete the files you want fresh copies of',
    );
  }

  const created: string[] = []; // removed again, newest first, if the copy fails half-way
  try {
    if (!out) {
      await makeFolders(target);
      created.push(target);
    }
    for (const folder of folders) {
      if (await standing(join(target, folder))) continue;
      await mkdir(join(target, folder));
      created.push(join(target, folder));
    }
    for (const name of names) {
      // COPYFILE_EXCL: created exclusively, so a link planted since the check is not followed.
      await copyFile(join(source, name), join(target, name), constants.COPYFILE_EXCL);
      created.push(join(target, name));
    }
  } catch (e) {
    for (const path of created.reverse()) await unlink(path).catch(() => rmdir(path).catch(() => undefined));
    throw new UsageError(
      'cannot-write',
      `cannot write into ${printable(shown)} (${(e as NodeJS.ErrnoException).code ?? 'error'}); nothing was copied`,
      'check that the folder is writable and has space',
    );
  }
  io.stdout.write(
    `copied ${names.length} templates into ${shown}\nedit the ones you need and delete the rest (a file left unchanged stops following updates), then\n  mail-oauth-runbook generate <manifest> --templates ${shown}\nthe fields they can use: docs/template-fields.md in the mail-oauth-runbook repository\n`,
  );
}

/** What stands at `path` without following a link: undefined for nothing, else its kind. */
async function standing(path: string): Promise<string | undefined> {
  const s = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (!s) return undefined;
  if (s.isSymbolicLink()) return 'a symbolic link';
  if (s.isDirectory()) return 'a folder';
  return s.isFile() ? 'a file' : 'a special file';
}
