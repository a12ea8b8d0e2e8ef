import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, runInProcess, tempDir } from './helpers/cli.ts';
import { documents } from '../src/plan/documents.ts';
import { environmentFiles, filesWritten } from './helpers/documents.ts';

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');

function workspace() {
  const t = tempDir();
  writeFileSync(join(t.path, 'hr.yaml'), example);
  return t;
}

test('generate writes per environment into a folder named after the manifest, deterministically', async () => {
  const t = workspace();
  try {
    let r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    const written = filesWritten(2);
    assert.match(r.stdout, new RegExp(`hr: ${written} written, 0 unchanged, 0 removed`));
    for (const env of ['test', 'production'])
      assert.equal(readdirSync(join(t.path, 'hr', env)).sort(), environmentFiles());
    const first = readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8');
    assert.not.match(first, new RegExp(t.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no absolute paths');
    // Same bytes as the committed example, whatever the day; the folder only changes how commands name the manifest
    // (its path in the repository there, its bare name here, outside any repository).
    const committed = readFileSync(join(root, 'runbooks/contoso-hr/test/runbook.md'), 'utf8')
      .replaceAll('runbooks/contoso-hr.yaml', 'hr.yaml')
      .replaceAll('contoso-hr.yaml', 'hr.yaml')
      .replace('at the top of the repository that holds the manifest', 'in the folder that holds the manifest');
    assert.is(first, committed);
    r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.match(r.stdout, new RegExp(`0 written, ${written} unchanged`));
  } finally {
    t.done();
  }
});

test('--check: fresh → 0; an edited file → 1 with a unified diff; a missing file → 1', async () => {
  const t = workspace();
  try {
    await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    let r = await runCli(['generate', 'hr.yaml', '--check'], { cwd: t.path });
    assert.is(r.code, 0);
    assert.match(r.stdout, new RegExp(`${filesWritten(2)} files up to date`));
    const p = join(t.path, 'hr/test/field-sheet.md');
    writeFileSync(
      p,
      readFileSync(p, 'utf8').replace('https://login.microsoftonline.com', 'https//login.microsoftonline.com'),
    );
    r = await runCli(['generate', 'hr.yaml', '--check'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stdout, /stale: {3}hr\/test\/field-sheet\.md/);
    assert.match(r.stdout, /^-\| Access Token URI \| `https\/\/login/m);
    assert.match(r.stdout, /^\+\| Access Token URI \| `https:\/\/login/m);
    assert.match(r.stderr, /out of date/);
    assert.ok(readFileSync(p, 'utf8').includes('https//login'), '--check writes nothing');
    r = await runCli(['generate', 'hr.yaml', '--check', '--out', 'elsewhere'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stdout, /missing: elsewhere\/README\.md/);
    assert.not.ok(existsSync(join(t.path, 'elsewhere')));
  } finally {
    t.done();
  }
});

test('an invalid manifest writes nothing and exits 2', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'bad.yaml'), example.replace('protocols: [pop]', 'protocols: [pop3]'));
    const r = await runCli(['generate', 'bad.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /did you mean "pop"\?/);
    assert.equal(readdirSync(t.path), ['bad.yaml']);
  } finally {
    t.done();
  }
});

test('--env limits the output; an unknown environment is a usage error', async () => {
  const t = workspace();
  try {
    let r = await runCli(['generate', 'hr.yaml', '--env', 'test', '--out', 'docs'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(t.path, 'docs/test/runbook.md')));
    assert.not.ok(existsSync(join(t.path, 'docs/production')));
    // The index lists every environment: the links that lead nowhere yet are pointed out, until they are written.
    assert.match(readFileSync(join(t.path, 'docs/README.md'), 'utf8'), /\(production\/runbook\.md\)/);
    assert.match(
      r.stderr,
      /warning: docs\/README\.md links to the documents of production, which are not in docs yet: generate with --env production \(or without --env\) to write them/,
    );
    r = await runCli(['generate', 'hr.yaml', '--env', 'production', '--out', 'docs'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stderr, /links to the documents of/);
    r = await runCli(['generate', 'hr.yaml', '--env', 'prod'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[unknown-environment\].*"prod"/);
  } finally {
    t.done();
  }
});

test('an environment removed from the manifest has its files removed; files we did not write are kept', async () => {
  const t = workspace();
  try {
    await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    writeFileSync(join(t.path, 'hr/production/notes.txt'), 'mine');
    writeFileSync(join(t.path, 'hr.yaml'), example.replace(/\n {2}production:[\s\S]*$/, '\n'));
    let r = await runCli(['generate', 'hr.yaml', '--check'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stdout, /extra: {3}hr\/production\/runbook\.md \(no longer generated\)/);
    r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed hr\/production\/runbook\.md/);
    assert.equal(readdirSync(join(t.path, 'hr/production')), ['notes.txt']);
    r = await runCli(['generate', 'hr.yaml', '--check'], { cwd: t.path });
    assert.is(r.code, 0);
  } finally {
    t.done();
  }
});

test('--templates overrides a template; a missing field names the template file and line', async () => {
  const t = workspace();
  try {
    mkdirSync(join(t.path, 'brand/partials'), { recursive: true });
    writeFileSync(
      join(t.path, 'brand/partials/generated-note.md.hbs'),
      '> Contoso IT: internal use only ({{md env.name}}).\n',
    );
    let r = await runCli(['generate', 'hr.yaml', '--templates', 'brand'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(
      readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8'),
      /> Contoso IT: internal use only \(test\)\./,
    );
    writeFileSync(join(t.path, 'brand/field-sheet.md.hbs'), '# Sheet\n\n{{md env.app.colour}}\n');
    writeFileSync(join(t.path, 'hr.yaml'), example.replace('Bizagi HR mail (test)', 'Bizagi HR mail (test2)'));
    r = await runCli(['generate', 'hr.yaml', '--templates', 'brand'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(
      r.stderr,
      /error \[template-error\]: 1 problem in the templates:\n  brand\/field-sheet\.md\.hbs:3:6: env\.app\.colour: env\.app has no field "colour"/,
    );
    assert.not.match(readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8'), /test2/, 'nothing written');
    writeFileSync(join(t.path, 'brand/field-sheet.md.hbs'), '# Sheet\n\n{{#if env}}\n');
    r = await runCli(['generate', 'hr.yaml', '--templates', 'brand'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /brand\/field-sheet\.md\.hbs:\d+/);
  } finally {
    t.done();
  }
});

test('a misspelt field in any document override fails generate --templates, though no environment uses that document', async () => {
  const t = workspace();
  try {
    // The manifest retires no environment: decommission.md is never rendered, and still its override is checked.
    mkdirSync(join(t.path, 'brand'));
    writeFileSync(join(t.path, 'brand/decommission.md.hbs'), '# Decommission {{md env.nmae}}\n');
    let r = await runCli(['generate', 'hr.yaml', '--templates', 'brand'], { cwd: t.path });
    assert.is(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /1 problem in the templates:\n  brand\/decommission\.md\.hbs:1:21: env\.nmae: env has no field "nmae" — did you mean "name"\?/,
    );
    assert.not.ok(existsSync(join(t.path, 'hr')), 'nothing written');
    // Every document of the table, whatever its scope and language, is checked against its own data.
    const templated = documents.filter((d) => d.template !== null);
    const owner = (d: (typeof templated)[number]) => (d.scope === 'top' ? 'plan' : 'env');
    for (const d of templated) {
      const helper = d.language === 'powershell' ? 'ps' : 'md';
      writeFileSync(join(t.path, 'brand', d.template), `{{${helper} ${owner(d)}.nmae}}\n`);
    }
    r = await runCli(['generate', 'hr.yaml', '--templates', 'brand'], { cwd: t.path });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${templated.length} problems in the templates:`));
    for (const d of templated) {
      const problem = `brand/${d.template}:1:6: ${owner(d)}.nmae: ${owner(d)} has no field "nmae"`;
      assert.ok(r.stderr.includes(problem), `${problem} in ${r.stderr}`);
    }
  } finally {
    t.done();
  }
});

test('--out that is a file, or an unwritable folder, is a clear error and leaves outputs intact', async () => {
  const t = workspace();
  try {
    writeFileSync(join(t.path, 'afile'), 'x');
    let r = await runCli(['generate', 'hr.yaml', '--out', 'afile'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[out-not-a-folder\] ?:? ?afile exists and is not a folder|out-not-a-folder/);
    r = await runCli(['generate', 'hr.yaml', '--out', 'afile/docs'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(
      r.stderr,
      /error \[cannot-write\]: cannot write into afile\/docs: a part of the path is a file, not a folder/,
    );
    await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    const before = readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8');
    if (process.getuid?.() !== 0) {
      chmodSync(join(t.path, 'hr/test'), 0o500);
      writeFileSync(join(t.path, 'hr.yaml'), example.replace('Bizagi HR mail (test)', 'Renamed'));
      r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
      assert.is(r.code, 2);
      assert.match(r.stderr, /cannot-write/);
      chmodSync(join(t.path, 'hr/test'), 0o700);
      assert.is(readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8'), before);
    }
  } finally {
    t.done();
  }
});

test('templates compiled at run time (from src/) and precompiled by the build (dist/) give the same bytes', async () => {
  const r = await runInProcess(['generate', 'runbooks/contoso-hr.yaml', '--check']);
  assert.is(r.code, 0, r.stdout + r.stderr);
});

test.run();
