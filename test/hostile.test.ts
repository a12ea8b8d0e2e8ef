import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, root, runCli, tempDir } from './helpers/cli.ts';

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');

test('pathological YAML: deep nesting, huge scalars, alias bombs, NUL bytes, invalid UTF-8 — exit 2 fast, no stack trace', async () => {
  const t = tempDir();
  try {
    const cases: Record<string, string | Buffer> = {
      'nested-flow.yaml': `${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      'nested-block.yaml': Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
      'nested-maps.yaml': `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
      'huge-scalar.yaml': `version: 1\nnote: "${'x'.repeat(1000_000)}"\n`,
      'huge-key.yaml': `${'k'.repeat(900_000)}: 1\n`,
      'billion-laughs.yaml': `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
      'nul.yaml': Buffer.from(example.replace('version: 1', 'version: 1\u0000')),
      'invalid-utf8.yaml': Buffer.concat([
        Buffer.from(example.slice(0, 200)),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from(example.slice(200)),
      ]),
      'utf16.yaml': Buffer.from(`\ufeff${example}`, 'utf16le'),
      'tags.yaml': example.replace('version: 1', 'version: !!binary aGVsbG8=\nx: !custom 1'),
      'many-docs.yaml': `${example}\n---\n${example}`,
    };
    for (const [name, content] of Object.entries(cases)) {
      writeFileSync(join(t.path, name), content);
      const started = Date.now();
      const r = await runCli(['generate', name, '--out', 'out'], { cwd: t.path, timeoutMs: 10_000 });
      assert.is(r.code, 2, `${name}: ${r.stderr.slice(0, 300)}`);
      assert.match(r.stderr, /error \[[a-z0-9-]+\]/, name);
      assert.not.match(r.stderr, /internal error|\n\s+at \S+ \(/, name);
      assert.ok(Date.now() - started < 5000, `${name} took ${Date.now() - started} ms`);
      assert.not.ok(existsSync(join(t.path, 'out')), `${name}: nothing written`);
      assert.ok(r.stderr.length < 20_000, `${name}: the report stays readable`);
    }
  } finally {
    t.done();
  }
});

test('a generate killed at random moments leaves every document whole: the old or the new version', async () => {
  const t = tempDir();
  try {
    const versions = ['Bizagi HR mail (test)', 'Renamed HR mail (test)'];
    const manifest = (i: number) => example.replace('Bizagi HR mail (test)', versions[i]!);
    writeFileSync(join(t.path, 'hr.yaml'), manifest(0));
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    const whole = new Map<string, Set<string>>();
    const snapshot = () => {
      for (const f of readdirSync(join(t.path, 'hr'), { recursive: true }) as string[]) {
        if (!f.endsWith('.md') && !f.endsWith('.ps1')) continue;
        if (!whole.has(f)) whole.set(f, new Set());
        whole.get(f)!.add(readFileSync(join(t.path, 'hr', f), 'utf8'));
      }
    };
    snapshot();
    writeFileSync(join(t.path, 'hr.yaml'), manifest(1));
    assert.is((await runCli(['generate', 'hr.yaml', '--out', 'new'], { cwd: t.path })).code, 0);
    for (const f of whole.keys()) whole.get(f)!.add(readFileSync(join(t.path, 'new', f), 'utf8'));

    let killedMidway = 0;
    for (let round = 0; round < 24; round++) {
      writeFileSync(join(t.path, 'hr.yaml'), manifest(round % 2));
      const child = spawn(process.execPath, [cliPath, 'generate', 'hr.yaml'], { cwd: t.path, stdio: 'ignore' });
      const delay = 20 + ((round * 37) % 140); // spread over start-up, rendering and writing
      const code = await new Promise<number | null>((resolve) => {
        setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('close', (c) => resolve(c));
      });
      if (code === null) killedMidway++;
      for (const [f, allowed] of whole) {
        const text = readFileSync(join(t.path, 'hr', f), 'utf8');
        assert.ok(
          allowed.has(text),
          `round ${round} (killed after ${delay} ms): ${f} is neither the old nor the new version`,
        );
      }
    }
    assert.ok(killedMidway > 0, 'some runs were killed before they finished');
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0);
    const leftovers = (readdirSync(join(t.path, 'hr'), { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.tmp'),
    );
    assert.equal(leftovers, [], 'the next run clears temporary files left by killed runs');
  } finally {
    t.done();
  }
});

test('verify: unreachable or invalid sign-in hosts fail cleanly and never show the secret', async () => {
  const t = tempDir();
  try {
    const secret = 'Zq8aQ~c4n4ry-verify-malformed-0123456789ab';
    const m = join(t.path, 'hr.yaml');
    writeFileSync(m, example);
    // An unreachable, non-https authority host, an invalid one, and a port with nothing behind it.
    for (const host of ['https://[::1]:1', 'https://256.256.256.256', 'https://localhost:1']) {
      const r = await runCli(
        ['verify', m, '--env', 'test', '--authority-host', host, '--token-only', '--timeout', '2'],
        { env: { HR_TEST_MAIL_SECRET: secret } },
      );
      assert.ok(r.code === 1 || r.code === 2, `${host}: ${r.stdout}${r.stderr}`);
      assert.not.ok((r.stdout + r.stderr).includes(secret));
      assert.not.ok((r.stdout + r.stderr).includes(Buffer.from(secret).toString('base64')));
    }
  } finally {
    t.done();
  }
});

test.run();
