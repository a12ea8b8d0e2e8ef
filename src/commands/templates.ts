import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Io } from '../io.ts';
import { UsageError } from '../errors.ts';
import { packageRoot } from '../paths.ts';

export const defaultTemplatesDir = 'templates';

/** Copies the bundled templates into a folder to start an override set from; never overwrites a file. */
export async function templatesCommand(opts: { out?: string }, io: Io): Promise<void> {
  const shown = opts.out ?? defaultTemplatesDir;
  const target = resolve(io.cwd, shown);
  const source = join(packageRoot(), 'templates');
  const names = (await readdir(source, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => relative(source, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
  const existing: string[] = [];
  for (const name of names)
    if (
      await stat(join(target, name)).then(
        () => true,
        () => false,
      )
    )
      existing.push(name);
  if (existing.length) {
    throw new UsageError(
      'file-exists',
      `${shown} already holds ${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ` and ${existing.length - 3} more` : ''}; templates never overwrites a file`,
      'choose another folder with --out, or delete the files you want fresh copies of',
    );
  }
  try {
    await mkdir(target, { recursive: true });
    for (const name of names) await cp(join(source, name), join(target, name), { errorOnExist: true, force: false });
  } catch (e) {
    throw new UsageError(
      'cannot-write',
      `cannot write into ${shown} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      'check that the folder is writable',
    );
  }
  io.stdout.write(
    `copied ${names.length} templates into ${shown}\nedit the ones you need and delete the rest (a file left unchanged stops following updates), then\n  mail-oauth-runbook generate <manifest> --templates ${shown}\nthe fields they can use: docs/template-fields.md in the mail-oauth-runbook repository\n`,
  );
}
