import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, updating } from './helpers/cli.ts';

// Each invalid manifest has an .expected file: the exit code, then stderr, exactly. UPDATE=1 rewrites them.
const dir = join(root, 'test/fixtures/validate');

for (const kind of ['valid', 'invalid'] as const) {
  for (const name of readdirSync(join(dir, kind)).filter((f) => f.endsWith('.yaml'))) {
    test(`validate ${kind}/${name}`, async () => {
      const rel = `test/fixtures/validate/${kind}/${name}`;
      const r = await runCli(['validate', rel]);
      const actual = `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
      const expectedPath = join(dir, kind, name.replace(/\.yaml$/, '.expected'));
      if (updating || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
      assert.fixture(actual, readFileSync(expectedPath, 'utf8'));
      assert.is(r.code, kind === 'valid' ? 0 : 2);
    });
  }
}

test.run();
