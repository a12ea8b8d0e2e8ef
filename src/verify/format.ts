import type { CheckResult, Status, VerifyReport } from './result.ts';

const marks: Record<Status, [string, string]> = { pass: ['PASS', '32'], fail: ['FAIL', '31;1'], warn: ['WARN', '33;1'], skip: ['SKIP', '2'] };

export function counts(checks: readonly CheckResult[]): Record<Status, number> {
  const c: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const ch of checks) c[ch.status]++;
  return c;
}

/** The terminal table: one line per check, and under each failure or warning what to do. */
export function formatTerminal(r: VerifyReport, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = [`verify ${r.environment}: tenant ${r.tenant}, client ${r.clientId ?? '(none)'}`];
  const width = Math.min(44, Math.max(...r.checks.map((c) => c.title.length)));
  for (const c of r.checks) {
    const [label, code] = marks[c.status];
    lines.push(`  ${paint(code, label)}  ${c.title.padEnd(width)}  ${c.detail}`);
    if ((c.status === 'fail' || c.status === 'warn') && c.diagnosis) {
      if (c.retryLater) lines.push(`        if this setup was changed in the last hours, Exchange may not have applied it yet: retry later before redoing a step`);
      lines.push(`        cause: ${c.diagnosis.cause}`);
      if (c.diagnosis.advice) lines.push(`        ${c.diagnosis.advice}`);
      for (const s of c.diagnosis.steps) lines.push(`        redo: Step ${s.number}: ${s.title} (${s.link})`);
    }
  }
  const n = counts(r.checks);
  const verdict = r.result === 'pass' ? paint('32;1', 'PASSED') : paint('31;1', 'FAILED');
  lines.push(`${verdict}: ${n.pass} passed, ${n.fail} failed, ${n.warn} warning${n.warn === 1 ? '' : 's'}, ${n.skip} skipped (${(r.durationMs / 1000).toFixed(1)} s)`);
  return `${lines.join('\n')}\n`;
}

const cell = (s: string) => s.replace(/[\\`*_[\]<>#|~&$]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');

/** The Markdown verification record: no secret, no token, only non-sensitive claims. */
export function formatReport(r: VerifyReport): string {
  const out = [
    `# Verification record: ${cell(r.environment)}`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| Result | **${r.result === 'pass' ? 'PASSED' : 'FAILED'}** |`,
    `| Verified at | ${cell(r.startedAt)} |`,
    `| Manifest | ${cell(r.manifest)} |`,
    `| Environment | ${cell(r.environment)} |`,
    `| Tenant | ${cell(r.tenant)} |`,
    `| Client ID | ${cell(r.clientId ?? '(none)')} |`,
    '',
    '## Checks',
    '',
    '| Status | Check | Detail | Redo |',
    '| --- | --- | --- | --- |',
    ...r.checks.map((c) => `| ${marks[c.status][0]} | ${cell(c.title)} | ${cell(c.detail)} | ${c.status === 'fail' || c.status === 'warn' ? cell(c.diagnosis?.steps.map((s) => `Step ${s.number}: ${s.title}`).join(', ') ?? '') : ''} |`),
  ];
  const logins = r.checks.filter((c) => c.login);
  if (logins.length) {
    const protocols = ['imap', 'pop', 'smtp'] as const;
    const mailboxes = [...new Set(logins.map((c) => c.login!.mailbox))];
    out.push('', '## Logins', '', '| Mailbox | IMAP | POP | SMTP |', '| --- | --- | --- | --- |');
    for (const mb of mailboxes) {
      const row = protocols.map((p) => logins.find((c) => c.login!.mailbox === mb && c.login!.protocol === p)?.status.toUpperCase() ?? '—');
      out.push(`| ${cell(mb)} | ${row.join(' | ')} |`);
    }
  }
  if (r.claims) {
    out.push('', '## Token claims', '', 'Only non-sensitive claims are kept; the token itself is not.', '', '| Claim | Value |', '| --- | --- |');
    for (const [k, v] of Object.entries(r.claims)) out.push(`| ${cell(k)} | ${cell(Array.isArray(v) ? v.join(', ') : String(v))} |`);
  }
  return `${out.join('\n')}\n`;
}
