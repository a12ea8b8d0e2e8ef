import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import { root, runCli, tempDir } from './helpers/cli.ts';
import { checkTemplate, type FieldShape } from '../src/render/check-template.ts';
import { helperNames } from '../src/render/engine.ts';
import { templateFields } from '../src/render/template-fields.ts';
import { contextOf } from '../src/render/template-fields-context.ts';
import { referenceMarkdown, shapesModule, templateShapes } from '../scripts/template-fields.ts';

// Without its editor link, which points into this repository's schemas/ (a copy elsewhere would be warned about).
const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8').replace(
  /^# yaml-language-server:.*\n/,
  '',
);

function workspace(overrides: Record<string, string> = {}) {
  const t = tempDir();
  writeFileSync(join(t.path, 'hr.yaml'), example);
  for (const [name, text] of Object.entries(overrides)) {
    mkdirSync(dirname(join(t.path, 'o', name)), { recursive: true });
    writeFileSync(join(t.path, 'o', name), text);
  }
  return t;
}

test('templates copies the bundled templates; generating with the copies gives the bundled output; never overwrites', async () => {
  const t = workspace();
  try {
    let r = await runCli(['templates', '--out', 'branding'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /copied \d+ templates into branding/);
    const copied = readdirSync(join(t.path, 'branding'), { recursive: true }) as string[];
    assert.ok(copied.includes('runbook.md.hbs') && copied.includes(join('partials', 'grant-consent.md.hbs')));
    r = await runCli(['generate', 'hr.yaml', '--templates', 'branding', '--out', 'branded'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '', 'no warning for copies of the bundled templates');
    r = await runCli(['generate', 'hr.yaml', '--out', 'plain'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    for (const f of ['test/runbook.md', 'test/field-sheet.md', 'production/exchange-setup.ps1', 'README.md']) {
      assert.is(readFileSync(join(t.path, 'branded', f), 'utf8'), readFileSync(join(t.path, 'plain', f), 'utf8'), f);
    }
    r = await runCli(['templates', '--out', 'branding'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[file-exists\]: branding already holds .*never overwrites/);
    r = await runCli(['templates'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(t.path, 'templates/runbook.md.hbs')), 'default folder: templates/');
  } finally {
    t.done();
  }
});

test('a one-line partial ends its line with or without a final newline (no paragraph swallowed into a blockquote)', async () => {
  for (const header of ['> ACME Corp internal', '> ACME Corp internal\n']) {
    const t = workspace({ 'partials/generated-note.md.hbs': header });
    try {
      const r = await runCli(['generate', 'hr.yaml', '--templates', 'o'], { cwd: t.path });
      assert.is(r.code, 0, r.stderr);
      const lines = readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8').split('\n');
      assert.equal(lines.slice(2, 5), ['> ACME Corp internal', '', '## Contents'], JSON.stringify(header));
    } finally {
      t.done();
    }
  }
});

test("the README's company header example works as shown", async () => {
  const header = /```handlebars\n([\s\S]*?)```/.exec(readFileSync(join(root, 'README.md'), 'utf8'))![1]!;
  const t = workspace({ 'partials/generated-note.md.hbs': header });
  try {
    const r = await runCli(['generate', 'hr.yaml', '--templates', 'o'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '');
    const lines = readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8').split('\n');
    assert.equal(lines.slice(2, 5), [
      '> **ACME Corp, internal.** Generated from `hr.yaml` for test.',
      '',
      '## Contents',
    ]);
  } finally {
    t.done();
  }
});

test('an override that replaces nothing and is used by nothing is pointed out; a new partial that is used is not', async () => {
  const t = workspace({
    'partials/footer.md.hbs': 'unused\n',
    'partials/acme-logo.md.hbs': '![ACME](logo.png)\n',
    'partials/generated-note.md.hbs': '{{> acme-logo}}\n> Internal.\n',
  });
  try {
    const r = await runCli(['generate', 'hr.yaml', '--templates', 'o'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^warning: o\/partials\/footer\.md\.hbs replaces no bundled template and no template uses it as a partial, so it is ignored/m,
    );
    assert.not.match(r.stderr, /acme-logo/);
    assert.ok(readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8').includes('![ACME](logo.png)'));
  } finally {
    t.done();
  }
});

test('every template mistake is reported at once: unknown helper, misspelt segments, bare values, the wrong escaper; nothing written', async () => {
  const t = workspace({
    'partials/generated-note.md.hbs':
      '> {{shout env.name}} for {{md env.nmae}}\n> {{md plan.tenent.id}} {{md env.app.clientId.x}}\n',
    'exchange-setup.ps1.hbs': '$Name = {{env.name}}\n$Other = {{{env.app.displayName}}}\n$Third = {{md env.name}}\n',
  });
  try {
    const r = await runCli(['generate', 'hr.yaml', '--templates', 'o'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[template-error\]: 7 problems in the templates:/);
    assert.match(
      r.stderr,
      /o\/partials\/generated-note\.md\.hbs:1:3: unknown helper "shout"\n    fix: the helpers are: md, code/,
    );
    assert.match(r.stderr, /generated-note\.md\.hbs:1:31: env\.nmae: env has no field "nmae" — did you mean "name"\?/);
    assert.match(
      r.stderr,
      /generated-note\.md\.hbs:2:8: plan\.tenent\.id: plan has no field "tenent" — did you mean "tenant"\?/,
    );
    assert.match(
      r.stderr,
      /env\.app\.clientId\.x: env\.app\.clientId is a value \(null \| string\), it has no field "x"/,
    );
    assert.match(
      r.stderr,
      /o\/exchange-setup\.ps1\.hbs:1:9: \{\{env\.name\}\} inserts a value unescaped\n    fix: write \{\{ps value\}\}/,
    );
    assert.match(r.stderr, /o\/exchange-setup\.ps1\.hbs:2:10: \{\{env\.app\.displayName\}\} inserts a value unescaped/);
    assert.match(r.stderr, /o\/exchange-setup\.ps1\.hbs:3:10: "md" does not escape for PowerShell/);
    assert.not.ok(existsSync(join(t.path, 'hr')), 'nothing written');
  } finally {
    t.done();
  }
});

test('the bundled templates pass the same check', () => {
  const dir = join(root, 'templates');
  const problems: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (!name.endsWith('.hbs')) continue;
    const n = name.split('\\').join('/');
    const context = contextOf(n);
    for (const p of checkTemplate(
      Handlebars,
      n,
      readFileSync(join(dir, name), 'utf8'),
      helperNames,
      templateFields,
      context,
    ))
      problems.push(`${n}:${p.line}: ${p.message}`);
  }
  assert.equal(problems, []);
});

test("the field reference and the checker's shapes are generated from the plan's types and up to date", () => {
  const shapes = templateShapes();
  const hint = 'stale: run npx tsx scripts/template-fields.ts and commit the result';
  assert.fixture(readFileSync(join(root, 'src/render/template-fields.ts'), 'utf8'), shapesModule(shapes), hint);
  assert.fixture(readFileSync(join(root, 'docs/template-fields.md'), 'utf8'), referenceMarkdown(shapes), hint);
  // One field a line: a stale check's diff names the fields that changed, not one line of the whole file.
  const lines = readFileSync(join(root, 'src/render/template-fields.ts'), 'utf8').split('\n');
  const fieldsIn = (f: FieldShape): number =>
    f.kind === 'object'
      ? Object.values(f.fields).reduce((n, field) => n + 1 + fieldsIn(field), 0)
      : f.kind === 'list'
        ? fieldsIn(f.of)
        : 0;
  const fields = [shapes.document, shapes.index, ...Object.values(shapes.defs)].reduce((n, f) => n + fieldsIn(f), 0);
  assert.ok(lines.length > fields, `${lines.length} lines for ${fields} fields`);
  assert.ok(Math.max(...lines.map((l) => l.length)) < 400, 'no line holds several fields');
  assert.ok(
    readFileSync(join(root, 'docs/template-fields.md'), 'utf8').includes('| `env.app.clientId` | null | string |') ||
      readFileSync(join(root, 'docs/template-fields.md'), 'utf8').includes('`app.clientId`'),
  );
});

test.run();
