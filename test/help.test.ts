import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, updating } from './helpers/cli.ts';

// --help is part of the interface: a golden file per command, so a change to it shows up in review.
const dir = join(root, 'test/fixtures/help');

for (const command of ['', 'validate', 'init', 'schema', 'generate', 'status', 'verify']) {
  test(`${command || 'mail-oauth-runbook'} --help`, async () => {
    const r = await runCli([...(command ? [command] : []), '--help'], { env: { COLUMNS: '100' } });
    assert.is(r.code, 0);
    assert.is(r.stderr, '');
    const file = join(dir, `${command || 'main'}.txt`);
    if (updating || !existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, r.stdout);
    }
    assert.fixture(r.stdout, readFileSync(file, 'utf8'));
  });
}

test('--version prints the package version', async () => {
  const r = await runCli(['--version']);
  assert.is(r.stdout.trim(), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
});

test('README documents every command and every option of --help', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const command of ['validate', 'init', 'schema', 'generate', 'status', 'verify']) {
    assert.ok(readme.includes(`### \`${command}`), `README has a section for ${command}`);
    const help = (await runCli([command, '--help'])).stdout;
    for (const flag of help.matchAll(/ (--[a-z-]+)/g)) {
      if (flag[1] === '--help') continue;
      assert.ok(readme.includes(flag[1]!), `README mentions ${command} ${flag[1]}`);
    }
  }
});

test.run();
