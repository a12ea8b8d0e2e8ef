import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers/cli.ts';
import { manifestSchema } from '../src/manifest/schema.ts';

/** A repository (.git) with a manifest written by init in docs/, as a team would commit it. */
async function repository() {
  const t = tempDir();
  mkdirSync(join(t.path, '.git'));
  mkdirSync(join(t.path, 'docs'));
  const r = await runCli(
    ['init', 'docs/hr.yaml', '--company', 'contoso', '--project', 'hr', '--mailbox', 'test:hr-test@contoso.com'],
    { cwd: t.path },
  );
  assert.is(r.code, 0, r.stderr);
  return t;
}

test('init links the manifest to a copy of the schema beside it, inside the repository', async () => {
  const t = await repository();
  try {
    const manifest = readFileSync(join(t.path, 'docs/hr.yaml'), 'utf8');
    assert.is(manifest.split('\n')[0], '# yaml-language-server: $schema=mail-oauth-runbook.schema.json');
    assert.equal(JSON.parse(readFileSync(join(t.path, 'docs/mail-oauth-runbook.schema.json'), 'utf8')), manifestSchema);
    assert.not.match(manifest, /node_modules|\.\.\//, 'no path into an install folder');
    // A second manifest in the same folder shares the copy.
    const r = await runCli(
      [
        'init',
        'docs/finance.yaml',
        '--company',
        'contoso',
        '--project',
        'finance',
        '--mailbox',
        'test:finance-test@contoso.com',
      ],
      { cwd: t.path },
    );
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stdout, /schema\.json/, 'the existing copy is current: not rewritten');
  } finally {
    t.done();
  }
});

test('generate keeps the linked copy current; --check reports it stale or missing and exits 1', async () => {
  const t = await repository();
  const copy = join(t.path, 'docs/mail-oauth-runbook.schema.json');
  try {
    let r = await runCli(['generate', 'docs/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stdout, /schema\.json/);
    writeFileSync(copy, JSON.stringify({ $id: manifestSchema.$id, title: 'an older version' }));
    r = await runCli(['generate', '--check', 'docs/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(
      r.stdout,
      /^stale: {3}docs\/mail-oauth-runbook\.schema\.json \(the editor schema docs\/hr\.yaml links to\)$/m,
    );
    r = await runCli(['generate', 'docs/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote {3}docs\/mail-oauth-runbook\.schema\.json/m);
    assert.equal(JSON.parse(readFileSync(copy, 'utf8')), manifestSchema);
    r = await runCli(['generate', '--check', 'docs/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stdout);
    const { rmSync } = await import('node:fs');
    rmSync(copy);
    r = await runCli(['generate', '--check', 'docs/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stdout, /^missing: docs\/mail-oauth-runbook\.schema\.json/m);
  } finally {
    t.done();
  }
});

test('generate never writes a linked file that is not our schema, a symlink, or outside the repository', async () => {
  const t = await repository();
  const manifest = join(t.path, 'docs/hr.yaml');
  const text = readFileSync(manifest, 'utf8');
  try {
    writeFileSync(join(t.path, 'docs/other.json'), '{"$id":"https://example.com/their-schema"}');
    writeFileSync(manifest, text.replace('$schema=mail-oauth-runbook.schema.json', '$schema=other.json'));
    let r = await runCli(['generate', 'docs/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.is(readFileSync(join(t.path, 'docs/other.json'), 'utf8'), '{"$id":"https://example.com/their-schema"}');

    const outsideTarget = join(t.path, '..', `outside-${Date.now()}.json`);
    writeFileSync(
      manifest,
      text.replace('$schema=mail-oauth-runbook.schema.json', `$schema=../../${outsideTarget.split('/').pop()}`),
    );
    r = await runCli(['generate', 'docs/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.not.ok(existsSync(outsideTarget), 'nothing created outside the repository');
    assert.match(
      r.stderr,
      /warning: docs\/hr\.yaml: the editor link \(\$schema=\.\.\/\.\.\/outside-\d+\.json\) points outside the repository/,
    );

    symlinkSync(join(t.path, 'docs/other.json'), join(t.path, 'docs/link.json'));
    writeFileSync(manifest, text.replace('$schema=mail-oauth-runbook.schema.json', '$schema=link.json'));
    r = await runCli(['generate', 'docs/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.is(
      readFileSync(join(t.path, 'docs/other.json'), 'utf8'),
      '{"$id":"https://example.com/their-schema"}',
      'not written through a symlink',
    );

    writeFileSync(
      manifest,
      text.replace(
        '$schema=mail-oauth-runbook.schema.json',
        '$schema=../node_modules/mail-oauth-runbook/schemas/manifest.schema.json',
      ),
    );
    r = await runCli(['generate', 'docs/hr.yaml'], { cwd: t.path });
    assert.match(
      r.stderr,
      /points outside the repository, so it does not resolve on other machines; link a copy beside the manifest instead: # yaml-language-server: \$schema=mail-oauth-runbook\.schema\.json/,
    );
  } finally {
    t.done();
  }
});

test.run();
