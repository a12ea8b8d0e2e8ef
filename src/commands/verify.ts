import { basename, resolve } from 'node:path';
import type { Io } from '../io.ts';
import { ExitCode, ReportedError, UsageError } from '../errors.ts';
import { buildPlan } from '../plan/plan.ts';
import { loadRenderer } from '../render/load-renderer.ts';
import { concealedError, redactingOutput, redactor } from '../verify/report/redact.ts';
import { reportView } from '../verify/report/report-view.ts';
import type { CheckResult, VerifyReport } from '../verify/report/result.ts';
import { inert } from '../verify/report/inert.ts';
import { checkReportTarget, writeReportFile } from '../verify/report/report-file.ts';
import { verifyEnvironment } from '../verify/run.ts';
import { verifyPrinter } from './verify-printer.ts';
import { verifySettings, type VerifyOptions } from './verify-settings.ts';
import { loadOrReport } from './shared.ts';
import type { Diagnostic } from '../manifest/diagnostic.ts';

export type { VerifyOptions };

export async function verifyCommand(manifestArg: string, opts: VerifyOptions, rawIo: Io): Promise<void> {
  const known: string[] = [];
  const redact = redactor(() => known);
  // Everything verify prints or writes passes through the redactor, once the secret and the tokens are known.
  const io: Io = {
    ...rawIo,
    stdout: redactingOutput(rawIo.stdout, redact),
    stderr: redactingOutput(rawIo.stderr, redact),
  };
  try {
    const plan = buildPlan(await loadOrReport(manifestArg, io, concernsChosen(opts)), basename(manifestArg));
    const report = opts.report && {
      path: resolve(io.cwd, opts.report),
      force: Boolean(opts.force),
      shownAs: opts.report,
    };
    // Before the secrets are asked for and anything is sent: a wrong path must not cost a whole run.
    if (report) await checkReportTarget(report.path, report);
    const { environments, settings } = await verifySettings(manifestArg, opts, plan, io, (v) => known.push(v));
    const printer = verifyPrinter(io, { json: Boolean(opts.json) });
    const reports: VerifyReport[] = [];
    for (const env of environments) {
      // Everything from outside (replies, claims, messages) is redacted and made inert before it is shown or escaped.
      const shown = printer.environment(plan, env);
      const progress = {
        check: (c: CheckResult) => shown.check(inert(c, redact)),
        working: (w: string | null) => shown.working(w),
      };
      reports.push(inert(await verifyEnvironment(plan, env, { ...settings, progress }), redact));
      printer.finished(reports.at(-1)!);
    }
    if (report)
      await writeReportFile(
        report.path,
        redact((await loadRenderer())('verification-report.md.hbs', reportView(reports))),
        report,
      );
    const failed = reports.some((r) => r.result === 'fail');
    printer.end(
      reports,
      reports.length === 1
        ? reports[0]
        : { manifest: manifestArg, result: failed ? 'fail' : 'pass', environments: reports },
    );
    // On stderr: stdout may be the one JSON document.
    if (report) io.stderr.write(`verification record written to ${report.shownAs}\n`);
    if (failed) throw new ReportedError(ExitCode.checkFailed);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ReportedError) throw e;
    throw concealedError(e, redact);
  }
}

/**
 * The manifest's warnings verify shows: those of the environments it was asked to verify and of the whole manifest,
 * not another environment's (its secret expiring is no news when --env test was asked). Errors always show.
 */
function concernsChosen(opts: VerifyOptions): (d: Diagnostic) => boolean {
  const chosen = new Set(opts.env ?? []);
  return (d) =>
    opts.all === true ||
    d.severity === 'error' ||
    d.path?.[0] !== 'environments' ||
    d.path.length < 2 ||
    chosen.has(String(d.path[1]));
}
