import { basename, relative, resolve, sep } from 'node:path';
import type { Io } from '../io.ts';
import { today } from '../io.ts';
import { ExitCode, ReportedError, UsageError } from '../errors.ts';
import { loadManifest } from '../manifest/load.ts';
import { hasErrors } from '../manifest/diagnostic.ts';
import { expiryWarningDays } from '../plan/expiry.ts';
import { buildPlan } from '../plan/plan.ts';
import { files as outputFiles, outDirFor } from '../plan/layout.ts';
import { buildIcs, isOurCalendar } from '../status/ics.ts';
import { writeOwnFile } from '../write/own-file.ts';
import { statusRows, type Thresholds } from '../status/rows.ts';
import { formatSummary, formatTable, printable } from '../status/table.ts';
import { configFor } from '../config/load-config.ts';
import { manifestsToUse } from './manifest-files.ts';
import { printDiagnostics } from './shared.ts';

export interface StatusOptions {
  warnDays: string;
  failDays: string;
  json?: boolean;
  ics?: string;
  docsUrl?: string;
  /** Replace an --ics file status did not write. */
  force?: boolean;
  config?: string;
}

export async function statusCommand(args: string[], opts: StatusOptions, io: Io): Promise<void> {
  const t: Thresholds = { warnDays: days(opts.warnDays, '--warn-days'), failDays: days(opts.failDays, '--fail-days') };
  const docsUrl = opts.docsUrl === undefined ? undefined : baseUrl(opts.docsUrl);
  const manifests = await manifestsToUse(args, io.cwd);

  const day = today(io);
  const loaded = [];
  const invalid: string[] = [];
  for (const manifest of manifests) {
    const l = await loadManifest(resolve(io.cwd, manifest), { shownAs: manifest, today: day });
    // Warnings (an expiry among them) are what the table is for; only errors are worth repeating here.
    if (hasErrors(l.diagnostics)) {
      printDiagnostics({ ...l, diagnostics: l.diagnostics.filter((d) => d.severity === 'error') }, io);
      invalid.push(manifest);
    }
    if (l.manifest) loaded.push({ manifest, plan: buildPlan(l.manifest, basename(manifest)) });
  }
  // One broken manifest must not hide every other secret's expiry: the table shows the valid ones, the run fails.
  const icsFile = invalid.length ? undefined : opts.ics;
  if (opts.ics && !icsFile)
    io.stderr.write(
      `not writing ${printable(opts.ics)}: a calendar without ${invalid.map(printable).join(', ')} would drop its reminders on import\n`,
    );

  const sources = [];
  for (const { manifest, plan } of loaded) {
    // The documents are where generate writes them: beside the manifest, or where a config file's `out` says.
    const { settings } = await configFor(manifest, io, opts.config);
    const docs = outDirFor(manifest, undefined, settings.out, io.cwd);
    sources.push({
      manifest,
      plan,
      runbookOf: (env: string) =>
        relative(io.cwd, resolve(io.cwd, docs, env, outputFiles.runbook))
          .split(sep)
          .join('/'),
    });
  }
  const rows = statusRows(sources, day, t);

  if (icsFile) {
    const ics = buildIcs(rows, { ...t, now: io.now(), ...(docsUrl ? { docsUrl } : {}) });
    await writeOwnFile(resolve(io.cwd, icsFile), ics, {
      shownAs: icsFile,
      flag: '--ics',
      mode: 0o644,
      force: Boolean(opts.force),
      isOurs: isOurCalendar,
    });
  }
  const failing = rows.filter((r) => r.failing);
  if (opts.json) {
    io.stdout.write(
      `${JSON.stringify({ today: day, ...t, result: failing.length || invalid.length ? 'fail' : 'pass', invalid, environments: rows }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(formatTable(rows));
    io.stdout.write(`\n${formatSummary(rows, t)}`);
    if (icsFile)
      io.stdout.write(`wrote ${printable(icsFile)}: ${rows.filter((r) => r.secretExpires).length} expiry events\n`);
  }
  for (const r of failing)
    io.stderr.write(
      `${printable(r.manifest)}: the client secret of "${r.environment}" ${r.daysLeft! < 0 ? 'expired' : 'expires'} on ${r.secretExpires}: rotate it (${printable(r.rotation)})\n`,
    );
  if (invalid.length) {
    io.stderr.write(
      `not in the table: ${invalid.map(printable).join(', ')} (errors above): fix them (mail-oauth-runbook validate) and run status again\n`,
    );
    throw new ReportedError(ExitCode.badInput);
  }
  if (failing.length) throw new ReportedError(ExitCode.checkFailed);
}

function days(value: string, flag: string): number {
  if (!/^\d{1,4}$/.test(value))
    throw new UsageError(
      'bad-option',
      `${flag} must be a whole number of days (0 or more), not "${printable(value)}"`,
      `e.g. ${flag} ${flag === '--warn-days' ? expiryWarningDays : 14}`,
    );
  return Number(value);
}

function baseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(
      'bad-option',
      `--docs-url "${printable(value)}" is not a URL`,
      'e.g. --docs-url https://git.example.com/it/mail-docs/blob/main/',
    );
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new UsageError(
      'bad-option',
      `--docs-url must be an http or https URL, not ${printable(u.protocol)}`,
      'e.g. --docs-url https://git.example.com/it/mail-docs/blob/main/',
    );
  if (u.search || u.hash)
    throw new UsageError(
      'bad-option',
      '--docs-url must not have a query (?) or a fragment (#): the links are its path followed by the file names',
      'e.g. --docs-url https://git.example.com/it/mail-docs/blob/main/',
    );
  // Links are appended to it as to a folder, so "…/main" and "…/main/" mean the same.
  return u.href.endsWith('/') ? u.href : `${u.href}/`;
}
