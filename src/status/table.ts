import type { StatusRow, Thresholds } from './rows.ts';

const headings = [
  'manifest',
  'project',
  'environment',
  'client ID',
  'secret expires',
  'days left',
  'contacts',
  'state',
] as const;

/** File names come from the file system: no control character of theirs may reach a terminal. */
export const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');

/** The first group of the GUID is enough to tell apps apart in a table; --json has the whole ID. */
export const shortClientId = (id: string | null): string => (id ? `${id.slice(0, 8)}…` : '-');

export function formatTable(rows: StatusRow[]): string {
  const cells = rows.map((r) => [
    printable(r.manifest),
    r.project,
    r.environment,
    shortClientId(r.clientId),
    r.secretExpires ?? '-',
    r.daysLeft === null ? '-' : String(r.daysLeft),
    r.contacts.join(', ') || '-',
    r.state,
  ]);
  const widths = headings.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]!].length)));
  const line = (c: readonly string[]) =>
    c.map((v, i) => (i === c.length - 1 ? v : v + ' '.repeat(widths[i]! - [...v].length))).join('  ');
  return [line(headings), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

export function formatSummary(rows: StatusRow[], t: Thresholds): string {
  const count = (s: StatusRow['state']) => rows.filter((r) => r.state === s).length;
  const parts = (['ok', 'expiring', 'expired', 'unknown', 'not registered'] as const).map((s) => `${count(s)} ${s}`);
  const failing = rows.filter((r) => r.failing).length;
  const env = (n: number) => `${n} environment${n === 1 ? '' : 's'}`;
  return `${env(rows.length)}: ${parts.join(', ')} (expiring: within ${t.warnDays} days); ${failing === 0 ? 'none' : env(failing)} at or past --fail-days ${t.failDays}\n`;
}
