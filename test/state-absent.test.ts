import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, runInProcess, tempDir } from './helpers/cli.ts';
import { environmentFiles } from './helpers/documents.ts';

// state: absent through the CLI: a retired environment swaps its setup documents for decommission ones; a mailbox
// cannot be the only thing left absent.
const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');

test('retiring an environment replaces its setup documents with decommission.md and exchange-teardown.ps1', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'hr.yaml'), example);
    let r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    writeFileSync(join(t.path, 'hr.yaml'), example.replace('  production:\n', '  production:\n    state: absent\n'));
    r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.equal(readdirSync(join(t.path, 'hr/production')).sort(), environmentFiles('retired'));
    assert.equal(readdirSync(join(t.path, 'hr/test')).sort(), environmentFiles());
    assert.match(r.stdout, /removed hr\/production\/runbook\.md/);
    const index = readFileSync(join(t.path, 'hr/README.md'), 'utf8');
    // Its row links its documents in their columns; a column with none for a retired environment says so.
    const row = /^\| production \(retired\) \|.*$/m.exec(index)?.[0] ?? '';
    assert.ok(
      row.startsWith('| production (retired) | [decommission.md](production/decommission.md) | retired |'),
      row,
    );
    assert.ok(row.includes('| [exchange-teardown.ps1](production/exchange-teardown.ps1) |'), row);
    const teardown = readFileSync(join(t.path, 'hr/production/exchange-teardown.ps1'), 'utf8');
    assert.match(teardown, /\[string\[\]\] \$FullAccessMailboxes = @\('hr@contoso\.com', 'hr-archive@contoso\.com'\)/);
    r = await runCli(['generate', 'hr.yaml', '--check'], { cwd: t.path });
    assert.is(r.code, 0, r.stdout);
  } finally {
    t.done();
  }
});

test('every mailbox absent in an environment that is not: an error that says how to retire it', async () => {
  const t = tempDir();
  try {
    writeFileSync(
      join(t.path, 'hr.yaml'),
      example.replace(
        '        protocols: [imap, smtp]\n  production:',
        '        protocols: [imap, smtp]\n        state: absent\n  production:',
      ),
    );
    const r = await runInProcess(['validate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(
      r.stderr,
      /hr\.yaml:\d+:5: error \[no-mailbox-left\] every mailbox of "test" has state: absent[\s\S]*give "test" state: absent/,
    );
    assert.not.ok(existsSync(join(t.path, 'hr')));
  } finally {
    t.done();
  }
});

test('a misspelt state value gets a suggestion', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'hr.yaml'), example.replace('  production:\n', '  production:\n    state: absnet\n'));
    const r = await runInProcess(['validate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /did you mean "absent"\?/);
  } finally {
    t.done();
  }
});

test.run();
