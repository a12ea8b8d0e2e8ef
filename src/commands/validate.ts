import type { Io } from '../cli/io.ts';
import { useColor, today } from '../cli/io.ts';
import { ExitCode, ReportedError } from '../errors.ts';
import { byPosition, hasErrors, type Diagnostic } from '../manifest/diagnostic.ts';
import { mailboxUses, sharedMailboxDiagnostics } from '../manifest/shared-mailboxes.ts';
import { formatDiagnostic, summary } from '../manifest/format.ts';
import { loadManifest, type Loaded } from '../manifest/load.ts';
import { resolve } from 'node:path';
import { defaultManifests } from './manifest-files.ts';

/** Loads a manifest and prints its diagnostics; throws ReportedError(2) when it has errors. Shared by every command that reads one. */
export async function loadOrReport(file: string, io: Io): Promise<NonNullable<Loaded['manifest']>> {
  const loaded = await loadManifest(resolve(io.cwd, file), { shownAs: file, today: today(io) });
  printDiagnostics(loaded, io);
  if (!loaded.manifest) throw new ReportedError(ExitCode.badInput);
  return loaded.manifest;
}

export function printDiagnostics(loaded: Loaded, io: Io): void {
  const color = useColor(io.stderr, io.env);
  for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d, { source: loaded.source, color })}\n\n`);
}

const strip = ({ offset: _o, length: _l, ...d }: Diagnostic) => d;

/** Rules between manifests (one mailbox per project): adds their diagnostics to the manifests concerned. */
function acrossManifests(loaded: Loaded[]): void {
  const seen = new Set<string>();
  const uses = loaded.flatMap((l) => {
    if (!l.checked || !l.parsed || seen.has(l.parsed.file)) return [];
    seen.add(l.parsed.file);
    return mailboxUses(l.parsed, l.checked);
  });
  for (const d of sharedMailboxDiagnostics(uses, { acrossFiles: true })) {
    const target = loaded.find((l) => l.parsed?.file === d.file)!;
    target.diagnostics.push(d);
    target.diagnostics.sort(byPosition);
    if (hasErrors(target.diagnostics)) delete target.manifest;
  }
}

export async function validateCommand(args: string[], opts: { json?: boolean }, io: Io): Promise<void> {
  const files = defaultManifests(args);
  const results: { file: string; valid: boolean; diagnostics: ReturnType<typeof strip>[] }[] = [];
  const all: [string, Loaded][] = [];
  for (const file of files) all.push([file, await loadManifest(resolve(io.cwd, file), { shownAs: file, today: today(io) })]);
  acrossManifests(all.map(([, l]) => l));
  for (const [file, loaded] of all) {
    const valid = !hasErrors(loaded.diagnostics);
    results.push({ file, valid, diagnostics: loaded.diagnostics.map(strip) });
    if (opts.json) continue;
    printDiagnostics(loaded, io);
    if (valid && loaded.manifest) {
      const envs = Object.values(loaded.manifest.environments);
      const mailboxes = envs.reduce((n, e) => n + e.mailboxes.length, 0);
      io.stdout.write(`${file}: valid (${envs.length} environment${envs.length === 1 ? '' : 's'}, ${mailboxes} mailbox${mailboxes === 1 ? '' : 'es'}; ${summary(loaded.diagnostics)})\n`);
    } else {
      io.stderr.write(`${file}: invalid (${summary(loaded.diagnostics)})\n`);
    }
  }
  if (opts.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  if (results.some((r) => !r.valid)) throw new ReportedError(ExitCode.badInput);
}
