import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, tempDir } from './helpers/cli.ts';

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const many = 'test/fixtures/validate/invalid/many-mistakes.yaml';

test('--json: one key order, start and end positions, the JSON path', async () => {
  const r = await runCli(['validate', '--json', many]);
  assert.is(r.code, 2);
  const [file] = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[] }[];
  for (const d of file!.diagnostics) {
    assert.equal(Object.keys(d), [
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'severity',
      'code',
      'message',
      'expected',
      'fix',
      'path',
    ]);
    assert.ok(
      (d.endLine as number) > (d.line as number) ||
        ((d.endLine as number) === (d.line as number) && (d.endColumn as number) > (d.column as number)),
      JSON.stringify(d),
    );
  }
  const unknown = file!.diagnostics.find((d) => d.code === 'unknown-key' && d.line === 7)!;
  assert.ok(
    Array.isArray(unknown.path) && (unknown.path as unknown[]).length > 0,
    'schema diagnostics carry their JSON path',
  );
  assert.equal(
    await runCli(['validate', '--format', 'json', many]).then((x) => x.stdout),
    r.stdout,
    '--format json is --json',
  );
});

test('--format github prints workflow annotations GitHub shows on the lines', async () => {
  const r = await runCli(['validate', '--format', 'github', many, 'runbooks/contoso-hr.yaml']);
  assert.is(r.code, 2);
  const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.ok(annotations.length > 3);
  for (const a of annotations)
    assert.match(
      a,
      /^::(error|warning) file=test\/fixtures\/validate\/invalid\/many-mistakes\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=mail-oauth-runbook [a-z-]+::[^\n]+$/,
    );
  assert.ok(
    annotations.some((a) => /line=7,col=3,.*title=mail-oauth-runbook unknown-key::.*%0Afix: /.test(a)),
    'message, then the fix on the next line (%0A)',
  );
  assert.match(r.stdout, /runbooks\/contoso-hr\.yaml: valid/);
});

test('--json errors about the command line are JSON too', async () => {
  for (const args of [
    ['validate', '--json', '--bogus', 'x.yaml'],
    ['validate', '--format=json', '--bogus'],
    ['validate', '--format', 'xml', '--json', 'x.yaml'],
  ]) {
    const r = await runCli(args);
    assert.is(r.code, 2);
    const parsed = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    assert.match(parsed.error.code, /^usage-/);
    assert.ok(parsed.error.message.length > 0);
  }
});

test('one tab in the indentation is one error, at the tab, with the fix', async () => {
  const t = tempDir();
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.path, 'tab.yaml'), example.replace('\n  domain:', '\n\tdomain:'));
    const r = await runCli(['validate', '--json', 'tab.yaml'], { cwd: t.path });
    const [file] = JSON.parse(r.stdout) as {
      diagnostics: { code: string; line: number; column: number; fix: string }[];
    }[];
    const line = example.split('\n').findIndex((l) => l.startsWith('  domain:')) + 1;
    assert.equal(
      file!.diagnostics.map((d) => [d.code, d.line, d.column]),
      [['yaml-tab-indentation', line, 1]],
    );
    assert.match(file!.diagnostics[0]!.fix, /replace the tab at column 1 with spaces/);
  } finally {
    t.done();
  }
});

test('a { or [ never closed is one error at the bracket, with where to close it (not "indentation" at the next key)', async () => {
  const cases: [string, string, [number, number], RegExp][] = [
    [
      'one line',
      'version: 1\ntenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b\nbizagi: { company: c, project: p }\n',
      [2, 9],
      /add \} where the mapping ends \(most likely at the end of line 2\)/,
    ],
    [
      'over lines',
      "version: 1\nbizagi: { company: c,\n  project: '{p' # a { in a comment\n\nenvironments: {}\n",
      [2, 9],
      /add \} where the mapping ends \(most likely at the end of line 3\)/,
    ],
    [
      'a list',
      'version: 1\nlist: [a, b\nnext: 1\n',
      [2, 7],
      /add \] where the list ends \(most likely at the end of line 2\)/,
    ],
  ];
  for (const [name, text, [line, column], fix] of cases) {
    const r = await runCli(['validate', '--json', '-'], { input: text });
    assert.is(r.code, 2, name);
    const [file] = JSON.parse(r.stdout) as {
      diagnostics: { code: string; line: number; column: number; fix: string }[];
    }[];
    assert.equal(
      file!.diagnostics.map((d) => [d.code, d.line, d.column]),
      [['yaml-unclosed', line, column]],
      name,
    );
    assert.match(file!.diagnostics[0]!.fix, fix, name);
  }
});

test('one round of fixes: an environment with schema errors does not hide the rules of the others', async () => {
  const text = `version: 1
tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b }
bizagi: { company: contoso, project: hr }
environments:
  test:
    mailboxes:
      - { address: hr-test@contoso.com, protocols: [imap4] }
  production:
    app: { clientId: 11111111-2222-4333-8444-555555555555, secret: { env: HR_MAIL_SECRET, expires: 2020-01-01 } }
    mailboxes:
      - { address: hr@contoso.com, protocols: [imap] }
`;
  const r = await runCli(['validate', '--json', '-'], { input: text });
  assert.is(r.code, 2);
  const [file] = JSON.parse(r.stdout) as { diagnostics: { code: string; line: number }[] }[];
  assert.equal(
    file!.diagnostics.map((d) => [d.code, d.line]),
    [
      ['invalid-value', 7],
      ['secret-expired', 9],
    ],
  );
  // A problem outside the environments (the rules build on tenant and bizagi): the schema's errors alone.
  const r2 = await runCli(['validate', '--json', '-'], {
    input: text.replace('company: contoso', 'company: Contoso!'),
  });
  const [file2] = JSON.parse(r2.stdout) as { diagnostics: { code: string }[] }[];
  assert.not.ok(file2!.diagnostics.some((d) => d.code === 'secret-expired'));
});

test('a duplicate key names the key and the line of its first occurrence', async () => {
  const text = example.replace(/^bizagi:/m, 'tenant:\n  id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b\nbizagi:');
  const r = await runCli(['validate', '-'], { input: text });
  assert.is(r.code, 2);
  const first = example.split('\n').findIndex((l) => l.startsWith('tenant:')) + 1;
  assert.match(
    r.stderr,
    new RegExp(`<stdin>:\\d+:1: error \\[yaml-duplicate-key\\] duplicate key "tenant": it is already on line ${first}`),
  );
});

test('a GUID in app.secret.env is called a Secret ID', async () => {
  const r = await runCli(['validate', '-'], {
    input: example.replace('env: HR_TEST_MAIL_SECRET', 'env: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d'),
  });
  assert.is(r.code, 2);
  assert.match(
    r.stderr,
    /\[secret-id-in-env\] environments\.test\.app\.secret\.env looks like a Secret ID \(a GUID\), not the name of an environment variable/,
  );
  assert.match(r.stderr, /fix: the Secret ID is not needed anywhere/);
});

test('validate - reads standard input (with the file limits); init - writes the starter to standard output', async () => {
  let r = await runCli(['validate', '-'], { input: example });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^<stdin>: valid \(2 environments/);
  r = await runCli(['validate', '-'], { input: '' });
  assert.is(r.code, 2);
  assert.match(r.stderr, /<stdin>:1:1: error \[file-empty\]/);
  r = await runCli(['validate', '-'], { input: 'a'.repeat(1024 * 1024 + 10) });
  assert.is(r.code, 2);
  assert.match(r.stderr, /\[file-too-large\]/);
  const t = tempDir();
  try {
    r = await runCli(
      ['init', '-', '--company', 'contoso', '--project', 'hr', '--mailbox', 'test:hr-test@contoso.com'],
      { cwd: t.path },
    );
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# yaml-language-server: /);
    const v = await runCli(['validate', '-'], { cwd: t.path, input: r.stdout });
    assert.is(v.code, 0, v.stderr);
    const { readdirSync } = await import('node:fs');
    assert.equal(readdirSync(t.path), [], 'init - writes no file');
  } finally {
    t.done();
  }
});

test('top-level help: examples, exit codes, environment variables; numeric defaults as numbers', async () => {
  const r = await runCli(['--help']);
  assert.match(r.stdout, /Examples:\n {2}mail-oauth-runbook init/);
  assert.match(r.stdout, /Exit codes:\n {2}0 {2}success/);
  assert.match(r.stdout, /Environment variables it reads:[\s\S]*HTTPS_PROXY[\s\S]*NO_COLOR/);
  const v = await runCli(['verify', '--help']);
  assert.match(v.stdout, /\(default: 4\)/);
  assert.match(v.stdout, /\(default: 30\)/);
  assert.not.match(
    v.stdout + (await runCli(['generate', '--help'])).stdout + (await runCli(['status', '--help'])).stdout,
    /\(default: (\[\]|"\d+")\)/,
  );
  const version = await runCli(['-v']);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test.run();
