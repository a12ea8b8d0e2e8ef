// The document text's one home per language (src/text): every language's catalogue says something for every key,
// and the modules the text moved out of hold no prose of their own any more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { clouds } from '../src/plan/clouds.ts';
import { diagnoses, diagnosesIn } from '../src/plan/diagnoses.ts';
import { buildSteps } from '../src/plan/steps.ts';
import { flowIn } from '../src/render/flow.ts';
import { catalogues, languages } from '../src/text/languages.ts';
import type { Catalogue } from '../src/text/catalogue.ts';
import { root } from './helpers/cli.ts';

/** Every string a catalogue holds, its functions called with sample values. */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (typeof value === 'function') {
    const result = (value as (...a: unknown[]) => unknown)(...sampleArguments(value as (...a: unknown[]) => unknown));
    strings(result, `${path}()`, out);
  } else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
  return out;
}
const sampleArguments = (fn: (...a: unknown[]) => unknown): unknown[] =>
  fn.length === 1 && /^\s*\(?\s*\{/.test(fn.toString())
    ? [
        {
          roles: { imap: 'R1', pop: 'R2', smtp: 'R3', ews: 'R4' },
          requiredRoles: ['R1', 'R3'],
          stepTitle: (id: string) => `T(${id})`,
        },
      ]
    : fn.length === 1 && /^\s*\(?\s*protocols\b/.test(fn.toString())
      ? [['P1', 'P2', 'P3']]
      : Array.from({ length: fn.length }, (_, i) => `V${i}`);

for (const language of languages) {
  const text: Catalogue = catalogues[language];

  test(`${language}: every key of the catalogue has text, and every value it is given appears in it`, () => {
    for (const [path, s] of strings(text, language)) assert.ok(s.trim().length > 0, `${path} is empty`);
    const steps = buildSteps(() => true, text.steps);
    assert.is(steps.length, Object.keys(text.steps.titles).length);
    for (const s of steps) assert.ok(s.heading.includes(s.title) && s.heading.includes(String(s.number)), s.heading);
    for (const id of Object.keys(clouds)) assert.ok(text.clouds[id as keyof typeof clouds].label, id);
    assert.equal(
      Object.keys(
        text.diagnoses({ roles: { imap: '', pop: '', smtp: '', ews: '' }, requiredRoles: [], stepTitle: String }),
      ).sort(),
      diagnoses.map((d) => d.id).sort(),
    );
    const said = diagnosesIn(language, (id) => `T(${id})`);
    assert.ok(said.find((d) => d.id === 'auth-failed')!.advice!.includes('T(register-service-principal)'));
    assert.is(flowIn(language, ['IMAP']).steps.length, Object.keys(text.flow.arrows(['IMAP'])).length);
  });
}

// The modules the text moved out of; a string literal of two words or more there is document text in the wrong home
// (error messages are the CLI's, in English, and stay).
const moved = [
  'src/plan/diagnoses.ts',
  'src/plan/clouds.ts',
  'src/plan/steps.ts',
  'src/render/flow.ts',
  'src/render/flavors.ts',
  'src/render/handout/handout.ts',
  'src/render/handout/enhance.ts',
];
const notProse = new Set(['flowchart LR', '<!doctype html>\n']);

function literals(file: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { text: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && /Error$/.test(node.expression.getText())) return;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node))
      out.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    if (ts.isTemplateExpression(node)) {
      out.push({ text: node.head.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
      for (const span of node.templateSpans) {
        visit(span.expression);
        out.push({ text: span.literal.text, line: source.getLineAndCharacterOfPosition(span.getStart()).line + 1 });
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

test('no document text is left in the modules it moved out of', () => {
  const english = new Set(strings(catalogues.en, 'en').map(([, s]) => s));
  for (const file of moved)
    for (const l of literals(file)) {
      const prose = /[A-Za-z]{2,} [A-Za-z]{2,}|\b[A-Z][a-z]+ /.test(l.text) && !notProse.has(l.text);
      assert.not.ok(prose || english.has(l.text), `${file}:${l.line}: "${l.text}" belongs in the catalogue`);
    }
});

test('"Step N" is written in the catalogue only: the step-heading partials print the heading and label the plan made', () => {
  for (const file of [
    'templates/partials/step-heading.md.hbs',
    'templates/partials/flavors/azure-devops/step-heading.md.hbs',
    'templates/partials/flavors/portable/step-heading.md.hbs',
  ]) {
    const partial = readFileSync(join(root, file), 'utf8');
    assert.not.match(partial, /Step|stepNumber/, file);
    assert.match(partial, /\{\{md step\.(heading|title)\}\}/, file);
  }
});

test('the prose check finds text where it is', () => {
  const found = literals('src/text/en.ts').filter((l) => /[A-Za-z]{2,} [A-Za-z]{2,}/.test(l.text));
  assert.ok(found.length > 50, `${found.length}`);
});

test.run();
