import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../src/manifest/print-diagnostics.ts';
import type { Diagnostic } from '../src/manifest/diagnostic.ts';
import { cliPath, root, runCli, tempDir } from './helpers/cli.ts';

// Input limits and odd text (issue 12): each case is a reproduction, run through the built CLI.

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const head =
  'version: 1\ntenant: {id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b}\nbizagi: {company: contoso, project: hr}\nenvironments:\n  test:\n    mailboxes:';

/** Writes each manifest, runs `generate` on it, and returns the result; nothing may be written. */
async function refused(name: string, manifest: string, code: RegExp) {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'm.yaml'), manifest);
    const r = await runCli(['generate', 'm.yaml', '--out', 'out'], { cwd: t.path });
    assert.is(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, code, name);
    assert.equal(readdirSync(t.path), ['m.yaml'], `${name}: nothing written`);
    return r;
  } finally {
    t.done();
  }
}

/** Runs the CLI reading an endless pipe (a shell pipe: Node's own stdio pipes are sockets, which /dev/stdin cannot open). */
function fromEndlessPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const quoted = [process.execPath, cliPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('sh', ['-c', `yes 'a: b' | ${quoted}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test('the 1 MiB limit holds while reading: /dev/zero and an endless pipe stop at the limit', async () => {
  for (const name of ['/dev/zero', '/dev/stdin']) {
    const started = Date.now();
    const r =
      name === '/dev/zero'
        ? await runCli(['validate', name], { timeoutMs: 20_000 })
        : await fromEndlessPipe(['validate', name]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /error \[file-too-large\] more than 1048576 bytes arrived and reading stopped there/);
    assert.ok(Date.now() - started < 10_000, `${name} took ${Date.now() - started} ms`);
  }
});

test('validate is linear in the input: 1 MiB of mistakes, also on one line, takes seconds, not minutes', async () => {
  const t = tempDir();
  try {
    let many = `${head}\n`;
    for (let i = 0; many.length < 1024 * 1024 - 100; i++) many += `      - {address: bad${i}, protocols: [imap]}\n`;
    const items: string[] = [];
    for (let i = 0, n = head.length; n < 1024 * 1024 - 100; i++)
      n += items[items.push(`{address: bad${i}, protocols: [imap]}`) - 1]!.length + 2;
    const oneLine = `${head} [${items.join(', ')}]\n`;
    for (const [name, text] of [
      ['many.yaml', many],
      ['one-line.yaml', oneLine],
    ] as const) {
      writeFileSync(join(t.path, name), text);
      const started = Date.now();
      const r = await runCli(['validate', name], { cwd: t.path, timeoutMs: 120_000 });
      const ms = Date.now() - started;
      assert.is(r.code, 2);
      assert.match(r.stderr, /invalid \(2\d{4} errors/);
      // Before the fix: 22 s (many lines) and more than 5 minutes (one line) on an idle machine.
      assert.ok(ms < 60_000, `${name} took ${ms} ms`);
    }
  } finally {
    t.done();
  }
});

test('formatting thousands of diagnostics on one long line costs the same per diagnostic as on a short line', () => {
  const line = `k: [${'x, '.repeat(400_000)}]`;
  const ds: Diagnostic[] = Array.from({ length: 5000 }, (_, i) => ({
    file: 'm.yaml',
    line: 1,
    column: 4 + i * 3,
    severity: 'error',
    code: 'c',
    message: 'm',
    length: 1,
  }));
  const started = Date.now();
  for (const d of ds) formatDiagnostic(d, { source: line });
  const ms = Date.now() - started;
  assert.ok(ms < 2000, `5000 excerpts of a 1.2 MB line took ${ms} ms`);
  assert.match(formatDiagnostic(ds[1000]!, { source: line }), /\n {2}1 \| …[x, ]{100}…\n {4}\| {41}\^$/);
});

test('bidirectional controls and lone surrogates are refused in every key and value, and never printed raw', async () => {
  const cases: [string, string, RegExp][] = [
    [
      'bidi in a display name',
      example.replace('Bizagi HR mail (test)', 'Bizagi HR \u202email (test)'),
      /bidi-control.*U\+202E/,
    ],
    [
      'bidi written as an escape',
      example.replace('displayName: Bizagi HR mail (test)', 'displayName: "Bizagi \\u2066HR mail"'),
      /bidi-control.*U\+2066/,
    ],
    [
      'bidi in a sendAs address',
      example.replace('protocols: [imap, smtp]', 'protocols: [imap, smtp]\n        sendAs: ["a\\u202dx@contoso.com"]'),
      /bidi-control/,
    ],
    ['bidi in a key', example.replace('  test:\n', '  test:\n    "note\\u2067": x\n'), /bidi-control.*the key/],
    [
      'right-to-left mark',
      example.replace('Bizagi HR mail (test)', 'Bizagi HR mail\u200f (test)'),
      /bidi-control.*U\+200F/,
    ],
    [
      'lone high surrogate',
      example.replace('displayName: Bizagi HR mail (test)', 'displayName: "Bizagi \\ud800 HR"'),
      /lone-surrogate.*U\+D800/,
    ],
    [
      'lone low surrogate',
      example.replace('displayName: Bizagi HR mail (test)', 'displayName: "Bizagi \\udfff HR"'),
      /lone-surrogate.*U\+DFFF/,
    ],
  ];
  for (const [name, manifest, code] of cases) {
    const r = await refused(name, manifest, code);
    assert.not.match(
      r.stderr,
      /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/,
      `${name}: no raw control reaches the terminal`,
    );
  }
  // A surrogate pair written as two escapes is one character, and fine.
  const t = tempDir();
  try {
    writeFileSync(
      join(t.path, 'm.yaml'),
      example.replace('displayName: Bizagi HR mail (test)', 'displayName: "Bizagi HR mail \\ud83d\\udce7"'),
    );
    const r = await runCli(['validate', 'm.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
  } finally {
    t.done();
  }
});

test('wildcards (* and ?) are refused in addresses and group names: Exchange -Identity would match other mailboxes', async () => {
  const cases: [string, string][] = [
    ['mailbox', example.replace('address: hr-test@contoso.com', 'address: "*@contoso.com"')],
    ['mailbox with ?', example.replace('address: hr-test@contoso.com', 'address: hr-?@contoso.com')],
    [
      'sendAs',
      example.replace('protocols: [imap, smtp]', 'protocols: [imap, smtp]\n        sendAs: ["hr*@contoso.com"]'),
    ],
    [
      'rbac group',
      example.replace(
        'protocols: [imap, smtp]\n  production',
        'protocols: [imap, smtp]\n    smtp: {access: rbac, group: "mail-*@contoso.com"}\n  production',
      ),
    ],
    ['admin', example.replace('exchangeAdmin: exo-admin@contoso.com', 'exchangeAdmin: "exo*@contoso.com"')],
  ];
  for (const [name, manifest] of cases) {
    assert.is.not(manifest, example, `${name}: the case changes the example`);
    const r = await refused(name, manifest, /error \[invalid-email\]/);
    assert.match(r.stderr, /fix: remove the wildcard \(\* or \?\)/, name);
  }
});

test('a secret spelled with YAML escapes, folded, or glued to a prefix is refused and never echoed', async () => {
  const secret = 'Zq84Q~c4n4ry-escaped-0123456789abcdefghij';
  const tail = secret.slice(6);
  const spellings: [string, string][] = [
    ['\\x7e escape', `"Zq84Q\\x7e${tail}"`],
    ['\\u007E escape', `"Zq84Q\\u007E${tail}"`],
    ['\\U escape', `"Zq84Q\\U0000007e${tail}"`],
    ['glued to a prefix', `prefix${secret}`],
    ['glued to a prefix and escaped', `"mine-Zq84Q\\x7E${tail}"`],
    ['line continuation', `"Zq84Q~c4n4ry-esc\\\n          aped-0123456789abcdefghij"`],
    ['an escape in a file YAML cannot parse', `"Zq84Q\\u007e${tail}" ]`],
  ];
  for (const [name, spelled] of spellings) {
    for (const [field, manifest] of [
      ['displayName', example.replace('displayName: Bizagi HR mail (test)', `displayName: ${spelled}`)],
      ['secret.env', example.replace('env: HR_TEST_MAIL_SECRET', `env: ${spelled}`)],
      ['a key', example.replace('  test:\n', `  test:\n    ${spelled}: x\n`)],
    ] as const) {
      const label = `${name} in ${field}`;
      // A key is one line: a multi-line one is a syntax error, whose excerpt must not show the part it has either.
      const r = await refused(
        label,
        manifest,
        (field === 'a key' && spelled.includes('\n')) || name.includes('cannot parse')
          ? /error \[yaml-[a-z-]+\]/
          : /error \[secret-value-in-manifest\]/,
      );
      const t = tempDir();
      try {
        writeFileSync(join(t.path, 'm.yaml'), manifest);
        const json = await runCli(['validate', 'm.yaml', '--json'], { cwd: t.path });
        for (const out of [r.stdout + r.stderr, json.stdout + json.stderr]) {
          assert.not.ok(out.includes('c4n4ry'), `${label}: the value is not echoed:\n${out}`);
          assert.not.ok(out.includes(tail.slice(0, 12)), label);
        }
      } finally {
        t.done();
      }
    }
  }
});

test.run();
