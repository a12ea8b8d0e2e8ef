import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';
import type { StatusRow, Thresholds } from './rows.ts';

// An iCalendar (RFC 5545) file with one all-day event per recorded secret expiry. Pure: rows, thresholds and the
// clock in, text out. The RFC rules that calendar clients actually trip on are here: CRLF line ends, lines folded
// at 75 octets (never inside a UTF-8 sequence), and TEXT values with `\`, `;`, `,` and newlines escaped.

export interface IcsOptions extends Thresholds {
  now: Date;
  /** Base URL, ending in `/`, the rotation links start with (where the generated documents can be browsed). */
  docsUrl?: string;
}

/** TEXT value escaping (RFC 5545 3.3.11); control characters other than the escaped newline are not allowed. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u001f\u007f]/g, '');
}

/** Folds one content line into pieces of at most 75 octets, continuation lines starting with a space (RFC 5545 3.1). */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = pieces.length === 0 ? 75 : 74; // a continuation line's leading space counts
    if (octets + size > limit) {
      pieces.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
}

/**
 * Same environment, same UID, whatever the date: re-importing after a rotation updates the event instead of adding
 * a second one. The tenant, company, project and environment name one environment.
 */
export function eventUid(row: Pick<StatusRow, 'tenantId' | 'company' | 'project' | 'environment'>): string {
  const key = [row.tenantId, row.company, row.project, row.environment].join('\n');
  return `secret-expiry-${createHash('sha256').update(key).digest('hex').slice(0, 32)}@mail-oauth-runbook`;
}

const compactDate = (iso: string) => iso.replace(/-/g, '');
const dayAfter = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const stamp = (d: Date) => `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

const prodId = 'PRODID:-//mail-oauth-runbook//status//EN';

/** A calendar status wrote (its third line names this tool), which --ics may replace without --force. */
export const isOurCalendar = (head: string): boolean =>
  head.startsWith(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${prodId}\r\n`);

/**
 * The rotation link under --docs-url. The path comes from file names (a manifest called `http:evil.example.yaml`),
 * so each segment is percent-encoded and appended, never resolved as a URL of its own: every link starts with the
 * given base. A path that climbs out of the folder status runs in cannot be under the base and is refused.
 */
export function docsLink(base: string, relative: string): string {
  const hash = relative.lastIndexOf('#'); // the anchor status adds; a file name may hold a # too
  const path = hash < 0 ? relative : relative.slice(0, hash);
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === ''))
    throw new UsageError(
      'docs-outside-url',
      `the documents of a manifest are outside the folder status runs in, so --docs-url cannot lead to them`,
      'run status from the folder the --docs-url points at (the repository root), or leave out --docs-url',
    );
  const fragment = hash < 0 ? '' : `#${encodeURIComponent(relative.slice(hash + 1))}`;
  return `${base}${segments.map(encodeURIComponent).join('/')}${fragment}`;
}

export function buildIcs(rows: StatusRow[], o: IcsOptions): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    prodId,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText('Client secret expiries')}`,
  ];
  for (const row of rows) {
    if (!row.secretExpires) continue;
    const link = o.docsUrl ? docsLink(o.docsUrl, row.rotation) : row.rotation;
    const what = `the client secret of Bizagi ${row.company} ${row.project}, environment ${row.environment}`;
    const description = [
      `${capitalise(what)} (app ${row.clientId ?? 'not registered yet'}, tenant ${row.tenantId}) expires on ${row.secretExpires}.`,
      'Mail stops when it does: create a new secret and update Bizagi before this date.',
      `Rotation steps: ${link}`,
      `Manifest: ${row.manifest}`,
      ...(row.contacts.length ? [`Contacts: ${row.contacts.join(', ')}`] : []),
    ].join('\n');
    const alarmDays = [...new Set([o.warnDays, 7])].filter((d) => d > 0).sort((a, b) => b - a);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${eventUid(row)}`,
      `DTSTAMP:${stamp(o.now)}`,
      // The day number of the expiry date: it grows when a rotation moves the date later, so clients take the update.
      `SEQUENCE:${Math.max(0, Math.round(Date.parse(`${row.secretExpires}T00:00:00Z`) / 86_400_000))}`,
      `DTSTART;VALUE=DATE:${compactDate(row.secretExpires)}`,
      `DTEND;VALUE=DATE:${compactDate(dayAfter(row.secretExpires))}`,
      `SUMMARY:${escapeText(`Client secret expires: ${row.project} ${row.environment} (${row.company})`)}`,
      `DESCRIPTION:${escapeText(description)}`,
      ...(o.docsUrl ? [`URL:${link}`] : []),
      'TRANSP:TRANSPARENT',
      ...alarmDays.flatMap((d) => [
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        `DESCRIPTION:${escapeText(`${capitalise(what)} expires in ${d} days (${row.secretExpires}): rotate it. ${link}`)}`,
        `TRIGGER:-P${d}D`,
        'END:VALARM',
      ]),
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
