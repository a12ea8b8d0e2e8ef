import { open, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { editorSchemaFile, editorSchemaLink, writeEditorSchema } from '../write/editor-schema.ts';
import type { Io } from '../io.ts';
import { UsageError } from '../errors.ts';
import { packageRoot } from '../paths.ts';

export const defaultInitFile = 'mail-oauth-runbook.yaml';

/** Writes the commented starter manifest; never overwrites (the file is opened with O_EXCL). */
export async function initCommand(file: string | undefined, io: Io): Promise<void> {
  const target = resolve(io.cwd, file ?? defaultInitFile);
  // The editor link names a copy of the schema beside the manifest, committed with it: it resolves on any machine,
  // and generate keeps it current (never a path into this install, which breaks elsewhere and on upgrade).
  const starter = (await readFile(join(packageRoot(), 'templates', 'init.yaml'), 'utf8')).replace(
    '{{schemaPath}}',
    editorSchemaFile,
  );
  if (file === '-') {
    io.stdout.write(starter);
    return;
  }
  let handle;
  try {
    handle = await open(target, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new UsageError(
        'file-exists',
        `${file ?? defaultInitFile} already exists; init never overwrites a file`,
        'choose another file name, or edit the existing manifest',
      );
    throw new UsageError(
      'cannot-write',
      `cannot create ${file ?? defaultInitFile} (${code})`,
      'check that the folder exists and is writable',
    );
  }
  try {
    await handle.writeFile(starter);
  } finally {
    await handle.close();
  }
  const schemaShown = join(dirname(file ?? defaultInitFile), editorSchemaFile);
  const link = await editorSchemaLink(target, starter);
  if (link && (link.state === 'missing' || link.state === 'stale')) {
    await writeEditorSchema(link.path);
    io.stdout.write(
      `wrote ${schemaShown}: the schema editors use to complete and explain the manifest (commit it; generate keeps it current)\n`,
    );
  } else if (link?.state === 'foreign') {
    io.stderr.write(
      `warning: ${schemaShown} exists and is not mail-oauth-runbook's schema; it was left alone, so the editor link will not work until it is (mail-oauth-runbook schema > ${schemaShown})\n`,
    );
  }
  io.stdout.write(
    `wrote ${file ?? defaultInitFile}: fill in the tenant, the Bizagi project and the mailboxes, then run\n  mail-oauth-runbook validate ${file ?? defaultInitFile}\n`,
  );
}
