import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, tempDir } from './helpers/cli.ts';
import { settings } from '../src/config/settings.ts';
import { filesWritten } from './helpers/documents.ts';

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');

/** A repository: .git at the top, manifests in runbooks/, branding templates, a config file at the top. */
function repository(config: string) {
  const t = tempDir();
  mkdirSync(join(t.path, '.git'));
  mkdirSync(join(t.path, 'runbooks'));
  mkdirSync(join(t.path, 'branding/partials'), { recursive: true });
  writeFileSync(join(t.path, 'runbooks/hr.yaml'), example);
  writeFileSync(
    join(t.path, 'branding/partials/generated-note.md.hbs'),
    '> ACME internal — generated from {{code plan.source}}.\n',
  );
  writeFileSync(join(t.path, 'mail-oauth-runbook.config.yaml'), config);
  return t;
}

test('the config file above the manifest sets templates and out for generate, from any working folder', async () => {
  const t = repository('# team settings\ntemplates: branding\nout: docs/{manifest}\n');
  try {
    mkdirSync(join(t.path, 'elsewhere'));
    let r = await runCli(['generate', '../runbooks/hr.yaml'], { cwd: join(t.path, 'elsewhere') });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`\\.\\./docs/hr: ${filesWritten(2)} written`));
    assert.ok(
      readFileSync(join(t.path, 'docs/hr/test/runbook.md'), 'utf8').includes('ACME internal'),
      'the templates folder of the config is used',
    );
    assert.not.ok(existsSync(join(t.path, 'runbooks/hr')), 'nothing beside the manifest');
    // CI runs from the repository root without flags and gets the same result.
    r = await runCli(['generate', 'runbooks/hr.yaml', '--check'], { cwd: t.path });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`docs/hr: ${filesWritten(2)} files up to date`));
    // Flags win over the config.
    r = await runCli(['generate', 'runbooks/hr.yaml', '--out', 'flag-out'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.ok(readFileSync(join(t.path, 'flag-out/test/runbook.md'), 'utf8').includes('ACME internal'));
  } finally {
    t.done();
  }
});

test('verify links to the documents where the config file puts them', async () => {
  const t = repository('out: docs/{manifest}\n');
  try {
    const manifest = example.replace(/^( *)clientId: .*\n/gm, '');
    writeFileSync(join(t.path, 'runbooks/hr.yaml'), manifest);
    const r = await runCli(['verify', 'runbooks/hr.yaml', '--env', 'test', '--json'], { cwd: t.path });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stdout, /docs\/hr\/test\/runbook\.md#/);
  } finally {
    t.done();
  }
});

test('a config file with mistakes: every one reported with file:line:column and a fix; nothing written', async () => {
  const t = repository('templtes: branding\nout: 42\nflavour: x\n');
  try {
    const r = await runCli(['generate', 'runbooks/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[config-invalid\]: mail-oauth-runbook\.config\.yaml has 3 problems/);
    assert.match(
      r.stderr,
      /mail-oauth-runbook\.config\.yaml:1:1: unknown setting "templtes" — did you mean "templates"\?/,
    );
    assert.match(r.stderr, /mail-oauth-runbook\.config\.yaml:2:6: out: expected a folder path, found the number 42/);
    assert.match(r.stderr, /:3:1: unknown setting "flavour"/);
    assert.match(r.stderr, /fix: settings: templates \(/);
    assert.not.ok(existsSync(join(t.path, 'runbooks/hr')));
  } finally {
    t.done();
  }
});

test('a config file that is not YAML, not a mapping, has a duplicate key or an unknown placeholder is refused', async () => {
  for (const [text, expected] of [
    ['out: [docs\n', /:1:/],
    ['- templates\n', /a config file is a mapping of settings/],
    ['out: a\nout: b\n', /:2:1: .*[Uu]nique|:2:1: .*duplicate/i],
    ['out: docs/{name}\n', /unknown placeholder \{name\}.*\n.*the only placeholder is \{manifest\}/],
  ] as const) {
    const t = repository(text);
    try {
      const r = await runCli(['generate', 'runbooks/hr.yaml'], { cwd: t.path });
      assert.is(r.code, 2, text);
      assert.match(r.stderr, /config-invalid/, text);
      assert.match(r.stderr, expected, `${text}: ${r.stderr}`);
    } finally {
      t.done();
    }
  }
});

test('--config names the file; a missing one is an error; the search stops at the repository root', async () => {
  const t = repository('out: docs/{manifest}\n');
  try {
    writeFileSync(join(t.path, 'ci.yaml'), 'out: ci-docs/{manifest}\n');
    let r = await runCli(['generate', 'runbooks/hr.yaml', '--config', 'ci.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(t.path, 'ci-docs/hr/README.md')));
    r = await runCli(['generate', 'runbooks/hr.yaml', '--config', 'nope.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[config-not-found\]: no config file nope\.yaml/);
    // A nested repository does not see the config of the one around it.
    mkdirSync(join(t.path, 'inner/.git'), { recursive: true });
    writeFileSync(join(t.path, 'inner/hr.yaml'), example);
    r = await runCli(['generate', 'inner/hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(t.path, 'inner/hr/README.md')));
  } finally {
    t.done();
  }
});

test('every setting is documented in the README with its example', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const [name, s] of Object.entries(settings))
    assert.ok(readme.includes(`${name}: ${s.example}`), `README shows "${name}: ${s.example}"`);
});

test.run();
