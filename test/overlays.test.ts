import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Handlebars from 'handlebars';
import { compileOptions, createRenderer, overlaid, type LoadedTemplate } from '../src/render/engine.ts';
import { contextOf } from '../src/render/template-fields-context.ts';

// A second document language is a catalogue plus template overlays: languages/<language>/… replaces the template or
// partial of the same name, and a language's own flavour partial replaces both (issue 22, item 5).

const template = (name: string, text: string): LoadedTemplate => ({
  name,
  path: `(test) ${name}`,
  build: (hb) => hb.compile(text, compileOptions),
});
const set = [
  template('doc.md.hbs', 'doc[{{> note}}|{{> tip}}]'),
  template('partials/note.md.hbs', 'note'),
  template('partials/tip.md.hbs', 'tip'),
  template('partials/flavors/portable/tip.md.hbs', 'tip-portable'),
  template('languages/xx/partials/note.md.hbs', 'nota'),
  template('languages/xx/partials/flavors/portable/tip.md.hbs', 'consejo-portable'),
  template('languages/yy/doc.md.hbs', 'other language'),
];
const render = (flavor: 'github' | 'portable', language: string) =>
  createRenderer(Handlebars.create(), set, flavor, language)('doc.md.hbs', {});

test('the most specific overlay of a name wins: language + flavour > flavour > language > common', () => {
  assert.is(render('github', 'en'), 'doc[note|tip]');
  assert.is(render('portable', 'en'), 'doc[note|tip-portable]');
  assert.is(render('github', 'xx'), 'doc[nota|tip]');
  assert.is(render('portable', 'xx'), 'doc[nota|consejo-portable]');
  assert.is(render('github', 'yy'), 'other language', "a language's own document replaces the common one");
});

test("other languages' and other flavours' files are left out, each overlay under the name it replaces", () => {
  const names = overlaid(set, 'portable', 'xx').map((o) => `${o.template.name} → ${o.name}`);
  assert.equal(names, [
    'doc.md.hbs → doc.md.hbs',
    'partials/note.md.hbs → partials/note.md.hbs',
    'partials/tip.md.hbs → partials/tip.md.hbs',
    'languages/xx/partials/note.md.hbs → partials/note.md.hbs',
    'partials/flavors/portable/tip.md.hbs → partials/tip.md.hbs',
    'languages/xx/partials/flavors/portable/tip.md.hbs → partials/tip.md.hbs',
  ]);
});

test('the template checker gives an overlay the context of the template it replaces', () => {
  assert.equal(contextOf('languages/es/runbook.md.hbs'), contextOf('runbook.md.hbs'));
  assert.equal(contextOf('languages/es/exchange-setup.ps1.hbs'), contextOf('exchange-setup.ps1.hbs'));
  assert.is(contextOf('languages/es/partials/register-app.md.hbs').language, 'markdown');
});

test.run();
