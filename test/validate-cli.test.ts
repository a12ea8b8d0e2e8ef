import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runInProcess, tempDir } from './helpers/cli.ts';

const valid = `version: 1
tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b }
bizagi: { company: contoso, project: hr }
environments:
  test:
    app: { secret: { env: X, expires: EXPIRES } }
    mailboxes: [{ address: hr@contoso.com, protocols: [imap] }]
`;

test('hostile files: each is a clear diagnostic with exit 2, never a crash', async () => {
  const t = tempDir();
  try {
    const cases: [string, Buffer | string | null, string][] = [
      ['missing.yaml', null, 'file-not-found'],
      ['folder.yaml', 'DIR', 'file-is-directory'],
      ['big.yaml', Buffer.alloc(1024 * 1024 + 1, 'a'), 'file-too-large'],
      ['binary.yaml', Buffer.from([0x76, 0x3a, 0x00, 0x01]), 'file-binary'],
      ['latin1.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]), 'file-not-utf8'],
      ['empty.yaml', '', 'file-empty'],
    ];
    for (const [name, content, code] of cases) {
      const p = join(t.path, name);
      if (content === 'DIR') mkdirSync(p);
      else if (content !== null) writeFileSync(p, content);
      const r = await runCli(['validate', p]);
      assert.is(r.code, 2, name);
      assert.ok(r.stderr.includes(`[${code}]`), `${name}: ${r.stderr}`);
      assert.not.match(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    }
  } finally {
    t.done();
  }
});

test('a BOM and CRLF line ends are accepted', async () => {
  const t = tempDir();
  try {
    const p = join(t.path, 'crlf.yaml');
    writeFileSync(p, `\ufeff${valid.replace('EXPIRES', '2099-01-01').replace(/\n/g, '\r\n')}`);
    const r = await runCli(['validate', p]);
    assert.is(r.code, 0, r.stderr);
  } finally {
    t.done();
  }
});

test('secret expiry is a warning, never an error: expiring within 30 days, on the date, after it (fixed clock)', async () => {
  const t = tempDir();
  try {
    const soon = join(t.path, 'soon.yaml');
    writeFileSync(soon, valid.replace('EXPIRES', '2026-12-10'));
    let r = await runInProcess(['validate', soon], { now: '2026-11-28T08:00:00Z' });
    assert.is(r.code, 0);
    assert.match(
      r.stderr,
      /warning \[secret-expires-soon\] the client secret of "test" expires in 12 days \(2026-12-10\)/,
    );
    r = await runInProcess(['validate', soon], { now: '2026-12-10T08:00:00Z' });
    assert.is(r.code, 0, 'the expiry date itself: a warning');
    assert.match(r.stderr, /warning \[secret-expired\] the client secret of "test" expires today \(2026-12-10\)/);
    r = await runInProcess(['validate', soon], { now: '2026-12-11T08:00:00Z' });
    assert.is(r.code, 0, 'a date on the calendar does not make the manifest invalid');
    assert.match(r.stderr, /warning \[secret-expired\] the client secret of "test" expired on 2026-12-10/);
    assert.match(r.stdout, /valid \(1 environment, 1 mailbox; 0 errors, 1 warning\)/);
  } finally {
    t.done();
  }
});

test('--json prints every diagnostic with position and code', async () => {
  const r = await runCli([
    'validate',
    '--json',
    'test/fixtures/validate/invalid/many-mistakes.yaml',
    'runbooks/contoso-hr.yaml',
  ]);
  assert.is(r.code, 2);
  const out = JSON.parse(r.stdout) as {
    file: string;
    valid: boolean;
    diagnostics: { line: number; column: number; code: string }[];
  }[];
  assert.equal(
    out.map((o) => o.valid),
    [false, true],
  );
  assert.ok(out[0]!.diagnostics.some((d) => d.code === 'unknown-key' && d.line === 7 && d.column === 3));
  assert.is(r.stderr, '');
});

test('a secret value is reported without being echoed anywhere', async () => {
  const r = await runCli(['validate', '--json', 'test/fixtures/validate/invalid/secret-value.yaml']);
  const r2 = await runCli(['validate', 'test/fixtures/validate/invalid/secret-value.yaml']);
  for (const out of [r.stdout, r.stderr, r2.stdout, r2.stderr]) {
    assert.not.match(out, /Q~/);
    assert.not.match(out, /Kq0\.mNbV/);
  }
  assert.match(r2.stderr, /secret-value-in-manifest/);
});

test('init writes a starter whose placeholders validate reports until replaced, and refuses to overwrite', async () => {
  const t = tempDir();
  try {
    let r = await runCli(['init', 'starter.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote starter\.yaml: replace its 4 placeholders \(<…>\) and fill in the tenant ID/);
    const text = readFileSync(join(t.path, 'starter.yaml'), 'utf8');
    assert.match(text, /^# yaml-language-server: \$schema=mail-oauth-runbook\.schema\.json\n/);
    r = await runCli(['validate', 'starter.yaml'], { cwd: t.path });
    assert.is(r.code, 2, "no documents for a company that is not the user's");
    assert.equal(
      [...r.stderr.matchAll(/^starter\.yaml:(\d+):\d+: error \[placeholder\] (\S+)/gm)].map((m) => m[2]),
      [
        'bizagi.company',
        'bizagi.project',
        'environments.test.mailboxes[0].address',
        'environments.production.mailboxes[0].address',
      ],
    );
    assert.not.match(r.stderr, /\[pattern\]|must match/, 'the placeholder error alone, not the schema pattern too');
    // Once replaced, it validates (the zero tenant stays a warning: the documents say "not known yet").
    writeFileSync(
      join(t.path, 'starter.yaml'),
      text
        .replace('company: <company>', 'company: acme')
        .replace('project: <project>', 'project: purchasing')
        .replace('address: <mailbox address>', 'address: purchasing-test@acme.com')
        .replace('address: <mailbox address>', 'address: purchasing@acme.com'),
    );
    r = await runCli(['validate', 'starter.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /starter\.yaml: valid \(2 environments, 2 mailboxes; 0 errors, 1 warning\)/);
    assert.match(r.stderr, /placeholder-tenant-id/);
    r = await runCli(['init', 'starter.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[file-exists\]/);
  } finally {
    t.done();
  }
});

test('schema prints the JSON Schema', async () => {
  const r = await runCli(['schema']);
  assert.is(r.code, 0);
  assert.is(JSON.parse(r.stdout).$id, 'urn:mail-oauth-runbook:schema:manifest:1');
});

test('usage errors exit 2; --help exits 0', async () => {
  let r = await runCli(['verify']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /missing required argument/);
  r = await runCli(['frobnicate']);
  assert.is(r.code, 2);
  r = await runCli(['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /Usage: mail-oauth-runbook/);
});

test.run();
