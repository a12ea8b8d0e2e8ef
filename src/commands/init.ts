import { open, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Io } from '../cli/io.ts';
import { UsageError } from '../errors.ts';
import { packageRoot } from '../paths.ts';

export const defaultInitFile = 'mail-oauth-runbook.yaml';

/** Writes the commented starter manifest; never overwrites (the file is opened with O_EXCL). */
export async function initCommand(file: string | undefined, io: Io): Promise<void> {
  const target = resolve(io.cwd, file ?? defaultInitFile);
  const schemaPath = join(packageRoot(), 'schemas', 'manifest.schema.json');
  const schemaRef = relative(dirname(target), schemaPath).split(sep).join('/');
  const starter = (await readFile(join(packageRoot(), 'templates', 'init.yaml'), 'utf8')).replace('{{schemaPath}}', schemaRef);
  if (file === '-') {
    io.stdout.write(starter);
    return;
  }
  let handle;
  try {
    handle = await open(target, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError('file-exists', `${file ?? defaultInitFile} already exists; init never overwrites a file`, 'choose another file name, or edit the existing manifest');
    throw new UsageError('cannot-write', `cannot create ${file ?? defaultInitFile} (${code})`, 'check that the folder exists and is writable');
  }
  try {
    await handle.writeFile(starter);
  } finally {
    await handle.close();
  }
  io.stdout.write(`wrote ${file ?? defaultInitFile}: fill in the tenant, the Bizagi project and the mailboxes, then run\n  mail-oauth-runbook validate ${file ?? defaultInitFile}\n`);
}
