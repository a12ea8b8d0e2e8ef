import type { Io } from '../io.ts';
import { useColor, today } from '../io.ts';
import { ExitCode, ReportedError, UsageError } from '../errors.ts';
import { hasErrors } from '../manifest/diagnostic.ts';
import { summary } from '../manifest/print-diagnostics.ts';
import { printDiagnostics } from './shared.ts';
import { checkAcrossManifests, checkManifestText, loadManifest, type Loaded } from '../manifest/load.ts';
import { loadValidator } from '../manifest/load-validator.ts';
import { githubAnnotation, machineDiagnostics, type MachineDiagnostic } from '../manifest/format-machine.ts';
import { readStdinText, stdinName } from '../manifest/read-stdin.ts';
import { resolve } from 'node:path';
import { manifestsToUse } from './manifest-files.ts';

export type ValidateFormat = 'text' | 'json' | 'github';

/** `-` is standard input (a manifest piped from another tool); anything else a file. */
async function loadNamed(file: string, io: Io): Promise<Loaded> {
  if (file !== '-') return loadManifest(resolve(io.cwd, file), { shownAs: file, today: today(io) });
  const read = await readStdinText(io.stdin, stdinName);
  if (!read.ok) return { diagnostics: [read.diagnostic] };
  return checkManifestText(stdinName, read.text, today(io), await loadValidator());
}

export async function validateCommand(
  args: string[],
  opts: { json?: boolean; format?: ValidateFormat },
  io: Io,
): Promise<void> {
  const files = await manifestsToUse(args, io.cwd);
  const format: ValidateFormat = opts.json ? 'json' : (opts.format ?? 'text');
  if (files.filter((f) => f === '-').length > 1)
    throw new UsageError('stdin-twice', 'standard input (-) can be read once', 'name - once');
  const results: { file: string; valid: boolean; diagnostics: MachineDiagnostic[] }[] = [];
  const all: [string, Loaded][] = [];
  for (const file of files) all.push([file === '-' ? stdinName : file, await loadNamed(file, io)]);
  checkAcrossManifests(all.map(([, l]) => l));
  for (const [shown, loaded] of all) {
    const valid = !hasErrors(loaded.diagnostics);
    const machine = machineDiagnostics(loaded.diagnostics, loaded.source);
    results.push({ file: shown, valid, diagnostics: machine });
    if (format === 'json') continue;
    if (format === 'github') for (const d of machine) io.stdout.write(`${githubAnnotation(d)}\n`);
    else printDiagnostics(loaded, io);
    if (valid && loaded.manifest) {
      const envs = Object.values(loaded.manifest.environments);
      const mailboxes = envs.reduce((n, e) => n + e.mailboxes.length, 0);
      io.stdout.write(
        `${shown}: valid (${envs.length} environment${envs.length === 1 ? '' : 's'}, ${mailboxes} mailbox${mailboxes === 1 ? '' : 'es'}; ${summary(loaded.diagnostics)})\n`,
      );
    } else {
      io.stderr.write(`${shown}: invalid (${summary(loaded.diagnostics)})\n`);
    }
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  if (results.some((r) => !r.valid)) throw new ReportedError(ExitCode.badInput);
}
