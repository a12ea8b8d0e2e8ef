import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { runCli, runInProcess, tempDir } from './helpers/cli.ts';
import { escapeText, foldLine } from '../src/status/ics.ts';

// Every test here runs with a fixed clock (runInProcess's `now`) or with dates far enough from any real today
// (2001, 2999) that the outcome cannot depend on the day the suite runs.

const now = '2026-11-28T12:00:00Z';

interface Env {
  name: string;
  clientId?: string;
  expires?: string;
}

function manifest(project: string, envs: Env[], contacts = true): string {
  const lines = [
    'version: 1',
    'tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b }',
    `bizagi: { company: contoso, project: ${project} }`,
    ...(contacts ? ['contacts: { itSupport: it-support@contoso.com, exchangeAdmin: exo-admin@contoso.com }'] : []),
    'environments:',
  ];
  envs.forEach((e, i) => {
    lines.push(`  ${e.name}:`);
    const app = [
      e.clientId ? `clientId: ${e.clientId}` : '',
      e.expires ? `secret: { env: X_${i}, expires: ${e.expires} }` : '',
    ].filter(Boolean);
    if (app.length) lines.push(`    app: { ${app.join(', ')} }`);
    lines.push(`    mailboxes: [{ address: ${project}-${e.name}@contoso.com, protocols: [imap] }]`);
  });
  return `${lines.join('\n')}\n`;
}

const id = (n: number) => `0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c${String(n).padStart(2, '0')}`;

function fleet() {
  const t = tempDir();
  writeFileSync(
    join(t.path, 'hr.yaml'),
    manifest('hr', [
      { name: 'test', clientId: id(1), expires: '2026-12-10' }, // 12 days: expiring
      { name: 'production', clientId: id(2), expires: '2027-06-01' }, // ok
    ]),
  );
  mkdirSync(join(t.path, 'finance'));
  writeFileSync(
    join(t.path, 'finance/payables.yaml'),
    manifest(
      'payables',
      [
        { name: 'test', clientId: id(3), expires: '2026-11-20' }, // expired 8 days ago
        { name: 'uat', clientId: id(4) }, // unknown: no expiry recorded
        { name: 'production' }, // not registered
      ],
      false,
    ),
  );
  // Not manifests, or not where status looks:
  writeFileSync(join(t.path, 'docker-compose.yml'), 'services:\n  web: { image: nginx }\n');
  mkdirSync(join(t.path, '.github/workflows'), { recursive: true });
  writeFileSync(
    join(t.path, '.github/workflows/hidden.yaml'),
    manifest('hidden', [{ name: 'test', clientId: id(9), expires: '2020-01-01' }]),
  );
  mkdirSync(join(t.path, 'node_modules/pkg'), { recursive: true });
  writeFileSync(
    join(t.path, 'node_modules/pkg/dep.yaml'),
    manifest('dep', [{ name: 'test', clientId: id(8), expires: '2020-01-01' }]),
  );
  return t;
}

interface Row {
  manifest: string;
  project: string;
  environment: string;
  clientId: string | null;
  secretExpires: string | null;
  daysLeft: number | null;
  state: string;
  failing: boolean;
  contacts: string[];
  rotation: string;
}

test('status with no argument finds every manifest under the folder and shows one row per environment, soonest first', async () => {
  const t = fleet();
  try {
    const r = await runInProcess(['status'], { cwd: t.path, now });
    assert.is(r.code, 1, 'an expired secret fails at the default --fail-days 0');
    const lines = r.stdout.split('\n');
    assert.match(
      lines[0]!,
      /^manifest\s+project\s+environment\s+client ID\s+secret expires\s+days left\s+contacts\s+state$/,
    );
    const body = lines.slice(2, 7).map((l) => l.split(/\s{2,}/));
    assert.equal(
      body.map((c) => [c[0], c[2], c[4], c[5], c.at(-1)]),
      [
        ['finance/payables.yaml', 'test', '2026-11-20', '-8', 'expired'],
        ['hr.yaml', 'test', '2026-12-10', '12', 'expiring'],
        ['hr.yaml', 'production', '2027-06-01', '185', 'ok'],
        ['finance/payables.yaml', 'production', '-', '-', 'not registered'],
        ['finance/payables.yaml', 'uat', '-', '-', 'unknown'],
      ],
    );
    assert.match(lines[3]!, /0b1c2d3e…\s+2026-12-10\s+12\s+it-support@contoso\.com, exo-admin@contoso\.com\s+expiring/);
    assert.match(
      r.stdout,
      /5 environments: 1 ok, 1 expiring, 1 expired, 1 unknown, 1 not registered \(expiring: within 30 days\); 1 environment at or past --fail-days 0/,
    );
    assert.not.match(r.stdout, /hidden|dep\.yaml|docker-compose/);
    assert.match(
      r.stderr,
      /finance\/payables\.yaml: the client secret of "test" expired on 2026-11-20: rotate it \(finance\/payables\/test\/runbook\.md#secret-expiry-and-rotation\)/,
    );
  } finally {
    t.done();
  }
});

test('--fail-days and --warn-days move the thresholds; exit 0 when nothing is at or past --fail-days', async () => {
  const t = fleet();
  try {
    let r = await runInProcess(['status', 'hr.yaml'], { cwd: t.path, now });
    assert.is(r.code, 0, 'expiring is not failing');
    r = await runInProcess(['status', 'hr.yaml', '--fail-days', '14'], { cwd: t.path, now });
    assert.is(r.code, 1, '12 days left is within 14');
    r = await runInProcess(['status', 'hr.yaml', '--fail-days', '12'], { cwd: t.path, now });
    assert.is(r.code, 1, 'at the threshold fails');
    r = await runInProcess(['status', 'hr.yaml', '--fail-days', '11'], { cwd: t.path, now });
    assert.is(r.code, 0);
    r = await runInProcess(['status', 'hr.yaml', '--warn-days', '10'], { cwd: t.path, now });
    assert.match(r.stdout, /hr\.yaml\s+hr\s+test\s.*\s12\s.*\sok$/m);
    // The expiry date itself counts as expired: Entra ends the secret at some hour of that day.
    r = await runInProcess(['status', 'hr.yaml'], { cwd: t.path, now: '2026-12-10T00:30:00Z' });
    assert.is(r.code, 1);
    assert.match(r.stdout, /\s0\s.*expired$/m);
    for (const bad of [
      ['--warn-days', 'soon'],
      ['--fail-days', '-1'],
      ['--fail-days', '1.5'],
    ]) {
      r = await runInProcess(['status', 'hr.yaml', ...bad], { cwd: t.path, now });
      assert.is(r.code, 2, bad.join(' '));
      assert.match(r.stderr, /error \[bad-option\].*whole number of days/);
    }
  } finally {
    t.done();
  }
});

test('--json: every environment with its state, days left and rotation link', async () => {
  const t = fleet();
  try {
    const r = await runInProcess(['status', '--json', '--fail-days', '14'], { cwd: t.path, now });
    assert.is(r.code, 1);
    const out = JSON.parse(r.stdout) as {
      today: string;
      warnDays: number;
      failDays: number;
      result: string;
      environments: Row[];
    };
    assert.is(out.today, '2026-11-28');
    assert.is(out.result, 'fail');
    assert.equal([out.warnDays, out.failDays], [30, 14]);
    assert.equal(
      out.environments.map((e) => [e.manifest, e.environment, e.daysLeft, e.state, e.failing]),
      [
        ['finance/payables.yaml', 'test', -8, 'expired', true],
        ['hr.yaml', 'test', 12, 'expiring', true],
        ['hr.yaml', 'production', 185, 'ok', false],
        ['finance/payables.yaml', 'production', null, 'not registered', false],
        ['finance/payables.yaml', 'uat', null, 'unknown', false],
      ],
    );
    assert.is(out.environments[1]!.clientId, id(1), 'the JSON has the whole client ID');
    assert.equal(out.environments[0]!.contacts, []);
    assert.is(out.environments[1]!.rotation, 'hr/test/runbook.md#secret-expiry-and-rotation');
    // With a config file, the documents (and so the rotation steps) are where its `out` puts them.
    writeFileSync(join(t.path, 'mail-oauth-runbook.config.yaml'), 'out: docs/{manifest}\n');
    const again = JSON.parse((await runInProcess(['status', '--json', 'hr.yaml'], { cwd: t.path, now })).stdout) as {
      environments: Row[];
    };
    assert.is(again.environments[0]!.rotation, 'docs/hr/test/runbook.md#secret-expiry-and-rotation');
  } finally {
    t.done();
  }
});

test('no manifest found: exit 2; an invalid one: the others still shown, its errors, exit 2, no calendar', async () => {
  const t = tempDir();
  try {
    let r = await runInProcess(['status'], { cwd: t.path, now });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[no-manifests\]: no mail-oauth-runbook manifest/);
    writeFileSync(join(t.path, 'ok.yaml'), manifest('hr', [{ name: 'test', clientId: id(1), expires: '2027-01-01' }]));
    writeFileSync(
      join(t.path, 'bad.yaml'),
      manifest('hr', [{ name: 'test' }]).replace('protocols: [imap]', 'protocols: [imap4]'),
    );
    r = await runInProcess(['status'], { cwd: t.path, now });
    assert.is(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:\d+:\d+: error \[invalid-value\]/);
    // One broken manifest does not hide the expiry of the others.
    assert.match(r.stdout, /ok\.yaml +hr +test +.*2027-01-01/);
    assert.not.match(r.stdout, /bad\.yaml/);
    assert.match(r.stderr, /not in the table: bad\.yaml \(errors above\)/);
    r = await runInProcess(['status', '--json', '--ics', 'expiry.ics'], { cwd: t.path, now });
    assert.is(r.code, 2);
    const json = JSON.parse(r.stdout) as { result: string; invalid: string[]; environments: { manifest: string }[] };
    assert.is(json.result, 'fail');
    assert.equal(json.invalid, ['bad.yaml']);
    assert.equal(
      json.environments.map((e) => e.manifest),
      ['ok.yaml'],
    );
    assert.match(r.stderr, /not writing expiry\.ics: a calendar without bad\.yaml would drop its reminders on import/);
    assert.not.ok(existsSync(join(t.path, 'expiry.ics')));
  } finally {
    t.done();
  }
});

test('the built CLI: a scheduled job fails on an expired secret and passes on a distant one', async () => {
  const t = tempDir();
  try {
    writeFileSync(
      join(t.path, 'old.yaml'),
      manifest('old', [{ name: 'test', clientId: id(1), expires: '2001-01-01' }]),
    );
    writeFileSync(
      join(t.path, 'new.yaml'),
      manifest('new', [{ name: 'test', clientId: id(2), expires: '2999-01-01' }]),
    );
    let r = await runCli(['status', 'new.yaml', '--fail-days', '14'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /new\.yaml\s+new\s+test\s+0b1c2d3e…\s+2999-01-01\s+\d+\s.*\sok$/m);
    r = await runCli(['status', '--fail-days', '14'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stdout, /^old\.yaml\s.*expired$/m);
    assert.match(r.stderr, /old\.yaml: the client secret of "test" expired on 2001-01-01/);
  } finally {
    t.done();
  }
});

// --- iCalendar -------------------------------------------------------------------------------------------------

/** The RFC 5545 rules calendar clients trip on, checked on the raw bytes. */
function assertRfc5545Lines(bytes: Buffer): void {
  const text = bytes.toString('utf8');
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  assert.not.match(text.replace(/\r\n/g, ''), /[\r\n]/, 'no bare CR or LF');
  let start = 0;
  for (let i = bytes.indexOf('\r\n'); i !== -1; start = i + 2, i = bytes.indexOf('\r\n', start)) {
    const line = bytes.subarray(start, i);
    assert.ok(line.length <= 75, `line of ${line.length} octets: ${line}`);
    // Folding never splits a UTF-8 sequence: each physical line decodes on its own.
    assert.not.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(line));
  }
}

test('--ics: one all-day event per expiry, reminders at the warn threshold and a week before, parsed by ical.js', async () => {
  const t = fleet();
  try {
    const r = await runInProcess(
      [
        'status',
        '--ics',
        'secrets.ics',
        '--warn-days',
        '21',
        '--docs-url',
        'https://git.example.com/it/mail-docs/blob/main',
      ],
      { cwd: t.path, now },
    );
    assert.is(r.code, 1);
    assert.match(r.stdout, /wrote secrets\.ics: 3 expiry events/);
    const bytes = readFileSync(join(t.path, 'secrets.ics'));
    assertRfc5545Lines(bytes);
    const cal = new ICAL.Component(ICAL.parse(bytes.toString('utf8')));
    assert.is(cal.getFirstPropertyValue('version'), '2.0');
    assert.ok(cal.getFirstPropertyValue('prodid'));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    assert.equal(
      events.map((e) => e.startDate.toString()),
      ['2026-11-20', '2026-12-10', '2027-06-01'],
      'environments without a date have no event',
    );
    for (const e of events) {
      assert.ok(e.startDate.isDate, 'all-day');
      assert.is(e.endDate.toString(), e.startDate.clone().adjust(1, 0, 0, 0).toString(), 'one day long');
      const alarms = e.component.getAllSubcomponents('valarm');
      assert.equal(
        alarms.map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds() / 86_400),
        [-21, -7],
      );
      assert.equal(
        alarms.map((a) => a.getFirstPropertyValue('action')),
        ['DISPLAY', 'DISPLAY'],
      );
      assert.ok(alarms.every((a) => String(a.getFirstPropertyValue('description')).length > 0));
    }
    const hrTest = events[1]!;
    assert.is(hrTest.summary, 'Client secret expires: hr test (contoso)');
    assert.match(
      hrTest.description,
      /Rotation steps: https:\/\/git\.example\.com\/it\/mail-docs\/blob\/main\/hr\/test\/runbook\.md#secret-expiry-and-rotation\n/,
    );
    assert.match(
      hrTest.description,
      /Contacts: it-support@contoso\.com, exo-admin@contoso\.com$/,
      'the comma comes back unescaped',
    );
    assert.is(
      hrTest.component.getFirstPropertyValue('url'),
      'https://git.example.com/it/mail-docs/blob/main/hr/test/runbook.md#secret-expiry-and-rotation',
    );
    assert.is(hrTest.component.getFirstPropertyValue('dtstamp')!.toString(), '2026-11-28T12:00:00Z');
    assert.is(new Set(events.map((e) => e.uid)).size, 3, 'one UID per environment');
  } finally {
    t.done();
  }
});

test('--ics: UIDs are stable, so a rotation re-imported updates the event (same UID, higher SEQUENCE)', async () => {
  const t = fleet();
  try {
    const read = () => {
      const cal = new ICAL.Component(ICAL.parse(readFileSync(join(t.path, 'hr.ics'), 'utf8')));
      return cal.getAllSubcomponents('vevent').map((v) => ({
        uid: String(v.getFirstPropertyValue('uid')),
        seq: Number(v.getFirstPropertyValue('sequence')),
        start: String(v.getFirstPropertyValue('dtstart')),
      }));
    };
    await runInProcess(['status', 'hr.yaml', '--ics', 'hr.ics'], { cwd: t.path, now });
    const first = read();
    await runInProcess(['status', 'hr.yaml', '--ics', 'hr.ics'], { cwd: t.path, now: '2026-12-01T09:00:00Z' });
    assert.equal(read(), first, 'another day, same events');
    writeFileSync(
      join(t.path, 'hr.yaml'),
      readFileSync(join(t.path, 'hr.yaml'), 'utf8').replace('2026-12-10', '2027-12-10'),
    );
    await runInProcess(['status', 'hr.yaml', '--ics', 'hr.ics'], { cwd: t.path, now });
    const rotated = read();
    const before = first.find((e) => e.start === '2026-12-10')!;
    const after = rotated.find((e) => e.start === '2027-12-10')!;
    assert.is(after.uid, before.uid);
    assert.ok(after.seq > before.seq, `${after.seq} > ${before.seq}`);
    assert.is(rotated.length, 2);
  } finally {
    t.done();
  }
});

test('--ics: commas, semicolons, backslashes and non-ASCII in values are escaped and folded by the rules', async () => {
  const t = tempDir();
  try {
    // A file name is the one value in the calendar a user fully controls: make it as awkward as a file name can be.
    const dir = 'Ñandú, RR.HH.; C:\\viejo';
    mkdirSync(join(t.path, dir));
    writeFileSync(
      join(t.path, dir, 'año 2027; nómina, ñ.yaml'),
      manifest('hr', [{ name: 'test', clientId: id(1), expires: '2027-01-15' }]),
    );
    const r = await runInProcess(['status', '--ics', 'out.ics'], { cwd: t.path, now });
    assert.is(r.code, 0, r.stderr);
    const bytes = readFileSync(join(t.path, 'out.ics'));
    assertRfc5545Lines(bytes);
    const raw = bytes.toString('utf8').replace(/\r\n /g, '');
    assert.ok(raw.includes('Manifest: Ñandú\\, RR.HH.\\; C:\\\\viejo/año 2027\\; nómina\\, ñ.yaml'), raw);
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse(bytes.toString('utf8'))).getFirstSubcomponent('vevent')!,
    );
    assert.match(event.description, /Manifest: Ñandú, RR\.HH\.; C:\\viejo\/año 2027; nómina, ñ\.yaml\n/);
  } finally {
    t.done();
  }
});

test('escapeText and foldLine (RFC 5545 3.3.11, 3.1)', () => {
  assert.is(escapeText('a,b;c\\d\ne\r\nf\u0007'), 'a\\,b\\;c\\\\d\\ne\\nf');
  const long = `DESCRIPTION:${'é'.repeat(100)}`;
  const folded = foldLine(long);
  const pieces = folded.split('\r\n');
  assert.ok(pieces.length > 1);
  assert.ok(pieces.every((p) => Buffer.byteLength(p) <= 75));
  assert.ok(pieces.slice(1).every((p) => p.startsWith(' ')));
  assert.is(pieces.map((p, i) => (i ? p.slice(1) : p)).join(''), long, 'unfolding gives the line back');
  assert.is(foldLine('x'.repeat(75)), 'x'.repeat(75), 'exactly 75 octets stays on one line');
});

test.run();
