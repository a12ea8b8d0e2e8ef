import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, tempDir } from './helpers/cli.ts';
import { sourceHash } from '../scripts/source-hash.ts';

// Most tests run dist/cli.js as a user does; they prove nothing if dist/ was built from other sources.
test('dist/ was built from the sources as they are now (npm test builds first; run npm run build)', () => {
  const info = join(root, 'dist/build-info.json');
  assert.ok(existsSync(info), 'dist/build-info.json is missing: run npm run build');
  assert.is(JSON.parse(readFileSync(info, 'utf8')).sourceHash, sourceHash(root), 'dist/ is stale: run npm run build');
});

test('the source hash changes when a source file changes', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir.path, 'src'));
    writeFileSync(join(dir.path, 'src/a.ts'), 'export const a = 1;\n');
    const before = sourceHash(dir.path);
    writeFileSync(join(dir.path, 'src/a.ts'), 'export const a = 2;\n');
    assert.is.not(sourceHash(dir.path), before);
  } finally {
    dir.done();
  }
});

// An internal error caused from outside (a preloaded module makes stdout throw), as a bug in the field would be.
const fault = ['--import', join(root, 'test/fixtures/inject-fault.mjs')];

test('an internal error says it is a bug and how to get the stack, without printing one', async () => {
  const r = await runCli(['validate', 'runbooks/contoso-hr.yaml'], { nodeArgs: fault });
  assert.is(r.code, 3, r.stderr);
  assert.match(
    r.stderr,
    /internal error \(this is a bug in mail-oauth-runbook, please report it\): TypeError: injected fault/,
  );
  assert.match(r.stderr, /--debug/);
  assert.not.match(r.stderr, /\n\s+at /);
});

for (const how of [
  { args: ['--debug'], env: {} },
  { args: [], env: { DEBUG: 'mail-oauth-runbook' } },
]) {
  test(`${how.args.length ? '--debug' : 'DEBUG=mail-oauth-runbook'}: the stack, mapped to src/ by the shipped source maps`, async () => {
    const r = await runCli(['validate', 'runbooks/contoso-hr.yaml', ...how.args], { nodeArgs: fault, env: how.env });
    assert.is(r.code, 3, r.stderr);
    assert.match(r.stderr, /\n\s+at .*src\/commands\/validate\.ts:\d+:\d+/, r.stderr);
    // Frames only: the message (which a dependency may fill with a request body) is not repeated with them.
    assert.is(r.stderr.split('injected fault').length, 2, r.stderr);
  });
}

test.run();
