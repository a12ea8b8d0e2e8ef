import { open, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { editorSchemaFile, editorSchemaLink, writeEditorSchema } from '../write/editor-schema.ts';
import type { Io } from '../io.ts';
import { UsageError } from '../errors.ts';
import { packageRoot } from '../paths.ts';
import { defaultProtocols, starterManifest, type Hosting, type InitAnswers, type InitOptions } from './init-starter.ts';

export type { InitOptions };
import { askInitAnswers } from './init-prompts.ts';

export const defaultInitFile = 'mail-oauth-runbook.yaml';

/**
 * Writes the starter manifest; never overwrites (the file is opened with O_EXCL). On a terminal it asks for what the
 * flags did not give; otherwise (a pipe, CI, --no-input) it takes the flags alone and leaves placeholders.
 */
export async function initCommand(file: string | undefined, opts: InitOptions, io: Io): Promise<void> {
  const shown = file ?? defaultInitFile;
  const target = resolve(io.cwd, shown);
  const given = answersFromFlags(opts);
  const answers = io.stdin.isTTY && opts.input !== false ? await askInitAnswers(given, opts, io) : given;
  // The editor link names a copy of the schema beside the manifest, committed with it: it resolves on any machine,
  // and generate keeps it current (never a path into this install, which breaks elsewhere and on upgrade).
  const template = await readFile(join(packageRoot(), 'templates', 'init.yaml'), 'utf8');
  const starter = starterManifest(template, editorSchemaFile, answers);
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
        `${shown} already exists; init never overwrites a file`,
        'choose another file name, or edit the existing manifest',
      );
    throw new UsageError(
      'cannot-write',
      `cannot create ${shown} (${code})`,
      'check that the folder exists and is writable',
    );
  }
  try {
    await handle.writeFile(starter);
  } finally {
    await handle.close();
  }
  const schemaShown = join(dirname(shown), editorSchemaFile);
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
  const left = starter.split('\n').filter((l) => /^[^#]*:\s*<[^<>]+>/.test(l)).length;
  const todo = [
    ...(left ? [`replace its ${left} placeholder${left === 1 ? '' : 's'} (<…>)`] : []),
    ...(answers.tenantId === undefined ? ['fill in the tenant ID'] : []),
  ];
  io.stdout.write(
    `wrote ${shown}: ${todo.length ? `${todo.join(' and ')}, then run` : 'check it with'}\n  mail-oauth-runbook validate ${shown}\n`,
  );
}

/** The answers the flags give; the environments are those of --env, then those only --mailbox names. */
export function answersFromFlags(opts: InitOptions): InitAnswers {
  const mailboxes = (opts.mailbox ?? []).map(parseMailboxFlag);
  const names = [...new Set([...(opts.env ?? []), ...mailboxes.map((m) => m.env)])];
  return {
    ...(opts.tenant !== undefined ? { tenantId: opts.tenant } : {}),
    ...(opts.company !== undefined ? { company: opts.company } : {}),
    ...(opts.project !== undefined ? { project: opts.project } : {}),
    ...(opts.hosting !== undefined ? { hosting: opts.hosting } : {}),
    environments: names.map((name) => ({
      name,
      mailboxes: mailboxes.filter((m) => m.env === name).map(({ address, protocols }) => ({ address, protocols })),
    })),
  };
}

function parseMailboxFlag(value: string): { env: string; address: string; protocols: string[] } {
  const m = /^([^:\s]+):([^:\s]+)(?::([a-z0-9,\s]*))?$/i.exec(value);
  if (!m)
    throw new UsageError(
      'bad-option',
      `--mailbox "${value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}" is not <environment>:<address>[:<protocols>]`,
      'e.g. --mailbox test:hr-test@contoso.com:imap,smtp (protocols default to imap,smtp)',
    );
  const protocols = (m[3] ?? '').split(/[\s,]+/).filter(Boolean);
  return { env: m[1]!, address: m[2]!, protocols: protocols.length ? protocols : defaultProtocols };
}
