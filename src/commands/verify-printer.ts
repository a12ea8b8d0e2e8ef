import type { Io } from '../io.ts';
import { useColor } from '../io.ts';
import { checkLines, headerLine, overallLine, painter, summaryLine } from '../verify/report/format.ts';
import type { VerifyReport } from '../verify/report/result.ts';
import type { VerifyProgress } from '../verify/input/settings.ts';
import type { EnvironmentPlan, Plan } from '../plan/plan.ts';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * What verify prints while it runs. Checks appear on stdout as soon as they are known (in a stable order); on a
 * terminal that allows colour, a status line on stderr says what is in progress and is cleared before anything else is
 * printed and when verify ends. With --json nothing appears until the one JSON document at the end.
 */
export function verifyPrinter(io: Io, opts: { json: boolean }) {
  const paint = painter(useColor(io.stdout, io.env));
  const live = !opts.json && Boolean(io.stderr.isTTY) && useColor(io.stderr, io.env);
  let status: string | null = null;
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let environments = 0;
  const draw = () =>
    io.stderr.write(`\r\x1b[K${status === null ? '' : `${frames[frame++ % frames.length]} ${status}`}`);
  const out = (text: string) => {
    if (opts.json) return;
    if (status !== null) io.stderr.write('\r\x1b[K');
    io.stdout.write(text);
    if (status !== null) draw();
  };
  const working = (what: string | null) => {
    if (!live) return;
    if (what === null) {
      if (status !== null) io.stderr.write('\r\x1b[K');
      status = null;
      clearInterval(timer);
      timer = undefined;
      return;
    }
    status = what;
    draw();
    timer ??= setInterval(draw, 100);
    timer.unref?.();
  };

  return {
    /** The progress of one environment, its header printed first. */
    environment(plan: Plan, env: EnvironmentPlan): VerifyProgress {
      out(
        (environments++ ? '\n' : '') +
          headerLine({ environment: env.name, tenant: plan.tenant.id, clientId: env.app.clientId }),
      );
      const said = new Map<string, string>();
      return { check: (c) => out(checkLines(c, paint, said)), working };
    },
    finished(report: VerifyReport) {
      working(null);
      out(summaryLine(report, paint));
    },
    /** After every environment: the JSON document, or the verdict over several environments. */
    end(reports: readonly VerifyReport[], json: unknown) {
      working(null);
      if (opts.json) io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      else if (reports.length > 1) io.stdout.write(`\n${overallLine(reports, paint)}`);
    },
  };
}
