import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, runInProcess, runProgram, tempDir } from './helpers/cli.ts';

// What a user meets in the first hour: the Node.js lines the tool runs on, status on a half-registered fleet.

const node24 = process.env.NODE24 ?? join(root, '.tools/node24/package/bin/node');

test('engines names the Node.js lines the tool supports: 20.12+ (while it costs nothing), 22 and 24', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.is(pkg.engines.node, '^20.12 || >=22');
});

test('on Node.js 22.1 and later the CLI keeps a compile cache, in the system temp folder', async () => {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const t = tempDir();
  try {
    const r = await runCli(['--version'], { env: { TMPDIR: t.path, NODE_COMPILE_CACHE: undefined } });
    assert.is(r.code, 0, r.stderr);
    const cached = existsSync(join(t.path, 'node-compile-cache'));
    // Node 20 has no module.enableCompileCache: the CLI must run all the same, and write no cache.
    assert.is(cached, major > 22 || (major === 22 && minor >= 1), `Node ${process.versions.node}`);
    if (cached) assert.ok(readdirSync(join(t.path, 'node-compile-cache')).length > 0);
  } finally {
    t.done();
  }
});

test('on Node.js 24 (from the npm registry, as .ci/run fetches it) the installed command validates and checks the example', async () => {
  if (!existsSync(node24)) {
    console.log(`skipped the Node 24 run: no ${node24} (.ci/run downloads it; NODE24=<node binary> to point at one)`);
    return;
  }
  const bin = join(root, 'bin/mail-oauth-runbook.js');
  const v = await runProgram(node24, [bin, 'validate', 'runbooks/contoso-hr.yaml'], { cwd: root });
  assert.is(v.code, 0, v.stderr);
  assert.match(v.stdout, /runbooks\/contoso-hr\.yaml: valid/);
  const g = await runProgram(node24, [bin, 'generate', '--check', 'runbooks/contoso-hr.yaml'], { cwd: root });
  assert.is(g.code, 0, g.stderr);
  assert.match(g.stdout, /files up to date/);
});

test('status: an environment with no client ID yet never fails, even with a past expiry date written down', async () => {
  const t = tempDir();
  try {
    writeFileSync(
      join(t.path, 'hr.yaml'),
      [
        'version: 1',
        'tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b }',
        'bizagi: { company: contoso, project: hr }',
        'environments:',
        '  test:',
        '    app: { secret: { env: HR_TEST_MAIL_SECRET, expires: 2026-11-01 } }',
        '    mailboxes: [{ address: hr-test@contoso.com, protocols: [imap] }]',
        '',
      ].join('\n'),
    );
    const r = await runInProcess(['status', '--fail-days', '14'], { cwd: t.path, now: '2026-11-28T12:00:00Z' });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /test\s+-\s+2026-11-01\s+-27\s+-\s+not registered/);
    assert.match(r.stdout, /1 not registered .*; none at or past --fail-days 14/);
    assert.not.match(r.stderr, /rotate it/);
    const j = await runInProcess(['status', '--json'], { cwd: t.path, now: '2026-11-28T12:00:00Z' });
    assert.is(j.code, 0);
    const parsed = JSON.parse(j.stdout) as { result: string; environments: { state: string; failing: boolean }[] };
    assert.is(parsed.result, 'pass');
    assert.equal(
      parsed.environments.map((e) => [e.state, e.failing]),
      [['not registered', false]],
    );
  } finally {
    t.done();
  }
});

/** The manifests `validate` named, in its order (one `<file>: valid (…)` line each). */
const validated = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':')[0]);

/** A docs repository with two manifests under runbooks/ and one further down. */
function docsRepository() {
  const t = tempDir();
  mkdirSync(join(t.path, 'runbooks/finance'), { recursive: true });
  copyFileSync(join(root, 'runbooks/contoso-hr.yaml'), join(t.path, 'runbooks/hr.yaml'));
  const small = (project: string) =>
    [
      'version: 1',
      'tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b }',
      `bizagi: { company: contoso, project: ${project} }`,
      'environments:',
      `  test: { mailboxes: [{ address: ${project}-test@contoso.com, protocols: [imap] }] }`,
      '',
    ].join('\n');
  writeFileSync(join(t.path, 'runbooks/payroll.yaml'), small('payroll'));
  writeFileSync(join(t.path, 'runbooks/finance/payables.yml'), small('payables'));
  return t;
}

test("a quoted glob is expanded by the tool (Windows shells pass 'runbooks/*.yaml' through as it is)", async () => {
  const t = docsRepository();
  try {
    let r = await runCli(['validate', 'runbooks/*.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.equal(validated(r.stdout), ['runbooks/hr.yaml', 'runbooks/payroll.yaml']);
    r = await runCli(['validate', 'runbooks/**/*.y*ml', 'runbooks/[!h]*.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^runbooks\/finance\/payables\.yml: valid/m);
    r = await runCli(['generate', 'runbooks/*.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^runbooks\/hr: \d+ written/m);
    assert.match(r.stdout, /^runbooks\/payroll: \d+ written/m);
    r = await runCli(['generate', '--check', 'runbooks/*.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stdout + r.stderr);
    r = await runCli(['status', '--json', 'runbooks/*.yaml'], { cwd: t.path });
    const rows = (JSON.parse(r.stdout) as { environments: { manifest: string }[] }).environments;
    assert.equal([...new Set(rows.map((e) => e.manifest))].sort(), ['runbooks/hr.yaml', 'runbooks/payroll.yaml']);
    r = await runCli(['validate', 'runbook/*.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[no-match\]: no file matches runbook\/\*\.yaml/);
    assert.match(r.stderr, /fix: .*runbooks\/\*\.yaml/);
  } finally {
    t.done();
  }
});

test('validate and generate with no manifest named take every manifest under the folder, as status does', async () => {
  const t = docsRepository();
  try {
    let r = await runCli(['validate'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.equal(validated(r.stdout), ['runbooks/finance/payables.yml', 'runbooks/hr.yaml', 'runbooks/payroll.yaml']);
    r = await runCli(['generate'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    for (const out of ['runbooks/finance/payables', 'runbooks/hr', 'runbooks/payroll'])
      assert.ok(existsSync(join(t.path, out, 'README.md')), out);
    r = await runCli(['generate', '--check'], { cwd: t.path });
    assert.is(r.code, 0, r.stdout + r.stderr);
  } finally {
    t.done();
  }
});

test("generate --check's hint repeats the flags given, so running it writes what the check compared", async () => {
  const t = docsRepository();
  try {
    mkdirSync(join(t.path, 'branding/partials'), { recursive: true });
    writeFileSync(
      join(t.path, 'branding/partials/generated-note.md.hbs'),
      '> **ACME, internal.** Generated from {{code plan.source}}.\n',
    );
    const flags = ['--env', 'test', '--flavor', 'azure-devops', '--html', '--templates', 'branding'];
    let r = await runCli(['generate', 'runbooks/hr.yaml', ...flags], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    writeFileSync(join(t.path, 'runbooks/hr/test/runbook.md'), 'edited by hand\n');
    r = await runCli(['generate', '--check', 'runbooks/hr.yaml', ...flags], { cwd: t.path });
    assert.is(r.code, 1);
    const hint = /is out of date: run (.*)$/m.exec(r.stderr)?.[1];
    assert.is(
      hint,
      'mail-oauth-runbook generate runbooks/hr.yaml --env test --templates branding --flavor azure-devops --html',
    );
    // The hint, run as given, makes the check pass (and keeps the handout the check compared).
    r = await runCli(hint!.split(' ').slice(1), { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(t.path, 'runbooks/hr/test/handout.html')));
    r = await runCli(['generate', '--check', 'runbooks/hr.yaml', ...flags], { cwd: t.path });
    assert.is(r.code, 0, r.stdout + r.stderr);
    // --no-html is repeated too, and a value a shell would split is quoted.
    r = await runCli(['generate', '--check', 'runbooks/hr.yaml', '--no-html', '--out', 'my docs'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stderr, /run mail-oauth-runbook generate runbooks\/hr\.yaml --out 'my docs' --no-html$/m);
  } finally {
    t.done();
  }
});

test.run();
