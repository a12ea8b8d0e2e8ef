import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, runInProcess, tempDir } from './helpers/cli.ts';
import { filesWritten } from './helpers/documents.ts';

// Several manifests in one process: a docs repository's CI is one command with one exit code.
const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const payables = example
  .replace('project: hr', 'project: payables')
  .replace(/hr(-test|-archive)?@contoso\.com/g, 'payables$1@contoso.com')
  .replace(/HR/g, 'PAYABLES')
  .replace(/\n  production:[\s\S]*$/, '\n');

function repo() {
  const t = tempDir();
  writeFileSync(join(t.path, 'hr.yaml'), example);
  writeFileSync(join(t.path, 'payables.yaml'), payables);
  return t;
}

test('generate and generate --check take several manifests: one run, one exit code', async () => {
  const t = repo();
  try {
    let r = await runCli(['generate', 'hr.yaml', 'payables.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^hr: ${filesWritten(2)} written, 0 unchanged, 0 removed$`, 'm'));
    assert.match(r.stdout, new RegExp(`^payables: ${filesWritten(1)} written, 0 unchanged, 0 removed$`, 'm'));
    r = await runCli(['generate', '--check', 'hr.yaml', 'payables.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^hr: ${filesWritten(2)} files up to date\npayables: ${filesWritten(1)} files up to date$`, 'm'),
    );
    // One manifest's documents edited by hand: the run goes on through every manifest, then exits 1.
    const p = join(t.path, 'hr/test/field-sheet.md');
    writeFileSync(p, `${readFileSync(p, 'utf8')}edited\n`);
    r = await runCli(['generate', '--check', 'hr.yaml', 'payables.yaml'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stdout, /stale: {3}hr\/test\/field-sheet\.md/);
    assert.match(r.stdout, new RegExp(`^payables: ${filesWritten(1)} files up to date$`, 'm'));
    assert.match(r.stderr, /^hr is out of date: run mail-oauth-runbook generate hr\.yaml$/m);
  } finally {
    t.done();
  }
});

test('one invalid manifest among several: exit 2, nothing written for any of them', async () => {
  const t = repo();
  try {
    writeFileSync(join(t.path, 'bad.yaml'), payables.replace('protocols: [imap, smtp]', 'protocols: [imap, smpt]'));
    const r = await runInProcess(['generate', 'hr.yaml', 'bad.yaml', 'payables.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:\d+:\d+: error \[invalid-value\].*\n[\s\S]*did you mean "smtp"\?/);
    assert.equal(readdirSync(t.path).sort(), ['bad.yaml', 'hr.yaml', 'payables.yaml']);
  } finally {
    t.done();
  }
});

test("with several manifests: --out is refused, --env takes each manifest's own environments", async () => {
  const t = repo();
  try {
    let r = await runInProcess(['generate', 'hr.yaml', 'payables.yaml', '--out', 'docs'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[out-with-several-manifests\]: --out names one folder, but 2 manifests were given/);
    r = await runInProcess(['generate', 'hr.yaml', 'payables.yaml', '--env', 'production'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(t.path, 'hr/production/runbook.md')));
    assert.not.ok(existsSync(join(t.path, 'hr/test')));
    assert.not.ok(existsSync(join(t.path, 'payables')), 'payables has no production environment');
    r = await runInProcess(['generate', 'hr.yaml', 'payables.yaml', '--env', 'productoin'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /no manifest has an environment "productoin"[\s\S]*did you mean "production"\?/);
  } finally {
    t.done();
  }
});

test('with no manifest named, validate and generate take every manifest under the folder, as status does', async () => {
  const t = tempDir();
  try {
    let r = await runInProcess(['validate'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[no-manifests\]: no mail-oauth-runbook manifest[\s\S]*mail-oauth-runbook init/);
    r = await runInProcess(
      ['init', '--company', 'contoso', '--project', 'hr', '--mailbox', 'test:hr-test@contoso.com'],
      { cwd: t.path },
    );
    assert.is(r.code, 0, r.stderr);
    r = await runInProcess(['validate'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^mail-oauth-runbook\.yaml: valid/);
    r = await runInProcess(['generate'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^mail-oauth-runbook: \d+ written/m);
    r = await runInProcess(['generate', '--check'], { cwd: t.path });
    assert.is(r.code, 0, r.stdout + r.stderr);
  } finally {
    t.done();
  }
});

test.run();
