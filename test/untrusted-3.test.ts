import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, tempDir } from './helpers/cli.ts';

// Issue 27, the third attack pass: files planted in the output folder, config files from outside the repository,
// and the newer outputs (the calendar, the template copies). Each case is run through the built CLI as a user runs it.

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');

function workspace() {
  const t = tempDir();
  writeFileSync(join(t.path, 'hr.yaml'), example);
  return t;
}

test("a symlink planted at the lock's temporary name (the pid is predictable) is not written through", async () => {
  const t = workspace();
  try {
    const out = join(t.path, 'hr');
    mkdirSync(out);
    writeFileSync(join(t.path, 'precious.txt'), 'precious');
    // What an attacker who guesses the pid commits: the planting runs in the CLI's own process, so the pid is right.
    const plant = join(t.path, 'plant.mjs');
    writeFileSync(
      plant,
      `import { symlinkSync } from 'node:fs';\nsymlinkSync(${JSON.stringify(join(t.path, 'precious.txt'))}, ${JSON.stringify(join(out, '.mail-oauth-runbook.lock.'))} + process.pid + '.tmp');\n`,
    );
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path, nodeArgs: ['--import', plant] });
    assert.is(r.code, 0, r.stderr);
    assert.is(readFileSync(join(t.path, 'precious.txt'), 'utf8'), 'precious', 'the file outside --out was overwritten');
    assert.ok(existsSync(join(out, 'test/runbook.md')));
  } finally {
    t.done();
  }
});

test('templates --out: a dangling link or a linked sub-folder in the way means nothing is copied, and it is named', async () => {
  const t = tempDir();
  try {
    mkdirSync(join(t.path, 'outside'));
    for (const [name, plant] of [
      ['runbook.md.hbs', (dir: string) => symlinkSync(join(t.path, 'nowhere'), join(dir, 'runbook.md.hbs'))],
      ['partials', (dir: string) => symlinkSync(join(t.path, 'outside'), join(dir, 'partials'))],
    ] as const) {
      const dir = join(t.path, `o-${name}`);
      mkdirSync(dir);
      plant(dir);
      const r = await runCli(['templates', '--out', `o-${name}`], { cwd: t.path });
      assert.is(r.code, 2, r.stdout);
      assert.match(r.stderr, new RegExp(`error \\[file-exists\\]: o-${name} already holds ${name} \\(a symbolic link`));
      assert.match(r.stderr, /copied nothing/);
      assert.equal(readdirSync(dir), [name], `${name}: nothing copied beside it`);
      assert.equal(readdirSync(join(t.path, 'outside')), [], `${name}: nothing written through the link`);
    }
  } finally {
    t.done();
  }
});

test.run();
