import type { CheckResult, Status, VerifyReport } from './result.ts';

const marks: Record<Status, [string, string]> = {
  pass: ['PASS', '32'],
  fail: ['FAIL', '31;1'],
  warn: ['WARN', '33;1'],
  skip: ['SKIP', '2'],
};

export const statusLabel = (s: Status): string => marks[s][0];

export function counts(checks: readonly CheckResult[]): Record<Status, number> {
  const c: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const ch of checks) c[ch.status]++;
  return c;
}

export type Paint = (code: string, s: string) => string;
export const painter =
  (color: boolean): Paint =>
  (code, s) =>
    color ? `\x1b[${code}m${s}\x1b[0m` : s;

/** Titles are padded to this width so details line up, without waiting for every check to know the longest title. */
const titleWidth = 34;

export const headerLine = (r: Pick<VerifyReport, 'environment' | 'tenant' | 'clientId'>): string =>
  `verify ${r.environment}: tenant ${r.tenant}, client ${r.clientId ?? '(none)'}\n`;

/**
 * One check: its line, and under a failure or warning what to do. `said` remembers, for one environment, which
 * diagnosis was already printed under which check: a cause met again (no consent fails the roles and every login)
 * points back to it instead of repeating its cause and steps.
 */
export function checkLines(c: CheckResult, paint: Paint, said: Map<string, string> = new Map()): string {
  const [label, code] = marks[c.status];
  const lines = [`  ${paint(code, label)}  ${c.title.padEnd(titleWidth)}  ${c.detail}`];
  if ((c.status === 'fail' || c.status === 'warn') && c.diagnosis) {
    const d = c.diagnosis;
    const key = JSON.stringify([d.id, d.cause, d.advice, d.steps.map((s) => s.id)]);
    const first = said.get(key);
    if (first !== undefined) {
      lines.push(
        `        same cause and steps as ${first} above${c.retryLater ? ' (if this setup was changed in the last hours, retry later first)' : ''}`,
      );
      return `${lines.join('\n')}\n`;
    }
    said.set(key, c.title);
    if (c.retryLater)
      lines.push(
        `        if this setup was changed in the last hours, Exchange may not have applied it yet: retry later before redoing a step`,
      );
    lines.push(`        cause: ${d.cause}`);
    if (d.advice) lines.push(`        ${d.advice}`);
    for (const s of d.steps) lines.push(`        redo: Step ${s.number}: ${s.title} (${s.link})`);
  }
  return `${lines.join('\n')}\n`;
}

export function summaryLine(r: VerifyReport, paint: Paint): string {
  const n = counts(r.checks);
  const verdict = r.result === 'pass' ? paint('32;1', 'PASSED') : paint('31;1', 'FAILED');
  return `${verdict}: ${n.pass} passed, ${n.fail} failed, ${n.warn} warning${n.warn === 1 ? '' : 's'}, ${n.skip} skipped (${(r.durationMs / 1000).toFixed(1)} s)\n`;
}

/** The verdict over several environments: which failed, and how many there were. */
export function overallLine(reports: readonly VerifyReport[], paint: Paint): string {
  const failed = reports.filter((r) => r.result === 'fail').map((r) => r.environment);
  return failed.length
    ? `${paint('31;1', 'FAILED')}: ${failed.length} of ${reports.length} environments failed (${failed.join(', ')})\n`
    : `${paint('32;1', 'PASSED')}: all ${reports.length} environments passed\n`;
}

/** The whole terminal table of one environment at once. */
export function formatTerminal(r: VerifyReport, color: boolean): string {
  const paint = painter(color);
  const said = new Map<string, string>();
  return headerLine(r) + r.checks.map((c) => checkLines(c, paint, said)).join('') + summaryLine(r, paint);
}
