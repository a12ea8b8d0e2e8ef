import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, tempDir } from './helpers/cli.ts';
import { filesWritten } from './helpers/documents.ts';
import { scriptFor } from '../src/render/handout/assets.ts';
import { en } from '../src/text/en.ts';

// generate --html and --flavor as a user runs them; the browser tier (browser.test.ts) opens the handouts for real.
const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const hostile = readFileSync(join(root, 'test/fixtures/handout/hostile.yaml'), 'utf8');
const goldenHandouts = readdirSync(join(root, 'test/fixtures/generate-options'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('handout.html'))
  .map((f) => join(root, 'test/fixtures/generate-options', f));

/** The bundled example at the same place in a repository as in ours: documents name the manifest by its path there. */
function inRepository(dir: string): void {
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks/contoso-hr.yaml'), example);
}

const inlineText = (html: string, tag: string): string[] =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
const sha = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;

test('an unknown --flavor is a usage error naming the flavours; nothing is written', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'hr.yaml'), example);
    const r = await runCli(['generate', 'hr.yaml', '--flavor', 'gitlab'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /unknown Markdown flavour "gitlab"/);
    assert.match(r.stderr, /github, azure-devops, portable/);
    assert.not.ok(existsSync(join(t.path, 'hr')));
  } finally {
    t.done();
  }
});

test('--html: one handout per environment, same bytes every run, recorded and checked like the other files', async () => {
  const t = tempDir();
  try {
    inRepository(t.path);
    let r = await runCli(['generate', 'runbooks/contoso-hr.yaml', '--html'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`contoso-hr: ${filesWritten(2, { html: true })} written`));
    const first = readFileSync(join(t.path, 'runbooks/contoso-hr/test/handout.html'), 'utf8');
    assert.is(
      first,
      readFileSync(join(root, 'test/fixtures/generate-options/html-contoso-hr/expected/test/handout.html'), 'utf8'),
    );
    r = await runCli(['generate', 'runbooks/contoso-hr.yaml', '--html', '--check'], { cwd: t.path });
    assert.is(r.code, 0, r.stdout);
    writeFileSync(join(t.path, 'runbooks/contoso-hr/test/handout.html'), first.replace('Reset checklist', 'Reset'));
    r = await runCli(['generate', 'runbooks/contoso-hr.yaml', '--html', '--check'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stdout, /stale: {3}runbooks\/contoso-hr\/test\/handout\.html/);
    r = await runCli(['generate', 'runbooks/contoso-hr.yaml', '--html'], { cwd: t.path });
    assert.match(r.stdout, new RegExp(`1 written, ${filesWritten(2, { html: true }) - 1} unchanged`));
    assert.is(readFileSync(join(t.path, 'runbooks/contoso-hr/test/handout.html'), 'utf8'), first);
    // Without --html the handouts are no longer generated output: the run removes what it wrote.
    r = await runCli(['generate', 'runbooks/contoso-hr.yaml'], { cwd: t.path });
    assert.match(r.stdout, /removed runbooks\/contoso-hr\/test\/handout\.html/);
    assert.not.ok(existsSync(join(t.path, 'runbooks/contoso-hr/test/handout.html')));
  } finally {
    t.done();
  }
});

for (const file of goldenHandouts) {
  const name = file.slice(root.length + 1);
  test(`${name}: self-contained, its CSP allows exactly its own style and script, every in-page link resolves`, () => {
    const html = readFileSync(file, 'utf8');
    assert.not.match(html, /\b(src|href)="(https?:)?\/\//, 'nothing loaded from the network');
    assert.not.match(html, /<link\b|@import|url\(/, 'no external style sheets, imports or fonts');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(html)?.[1]
      ?.replaceAll('&#x27;', "'");
    assert.ok(csp, 'a Content-Security-Policy');
    assert.match(csp!, /default-src 'none'/);
    const scripts = inlineText(html, 'script');
    const styles = inlineText(html, 'style');
    assert.is(scripts.length, 1);
    assert.is(styles.length, 1);
    assert.ok(csp!.includes(`script-src '${sha(scripts[0]!)}'`), 'the script is allowed by its hash');
    assert.ok(csp!.includes(`style-src '${sha(styles[0]!)}'`), 'the style sheet is allowed by its hash');
    assert.not.match(html, / on[a-z]+=/i, 'no inline event handlers');
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!));
    for (const m of html.matchAll(/ href="#([^"]*)"/g))
      assert.ok(ids.has(decodeURIComponent(m[1]!)), `broken in-page link #${m[1]}`);
    for (const m of html.matchAll(/ data-copy="([^"]+)"/g))
      assert.ok(ids.has(m[1]!), `copy button without a target ${m[1]}`);
    for (const m of html.matchAll(/<input type="checkbox" id="([^"]+)"/g))
      assert.ok(html.includes(`<label for="${m[1]}">`), `checkbox ${m[1]} has a label`);
    const levels = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    assert.is(levels[0], 1);
    levels.forEach(
      (l, i) => i > 0 && assert.ok(l <= levels[i - 1]! + 1, `heading levels skip from h${levels[i - 1]} to h${l}`),
    );
  });
}

test('hostile manifest values land in the handout as text: no tag, attribute or script of theirs', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'hostile.yaml'), hostile);
    const r = await runCli(['generate', 'hostile.yaml', '--html'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    const html = readFileSync(join(t.path, 'hostile/test/handout.html'), 'utf8');
    assert.is(html.match(/<script/g)?.length, 1, "only the handout's own script");
    assert.not.match(html, /<img|<b>/, 'no element or attribute from a value');
    assert.match(html, /&#x3C;script>window\.pwned=1&#x3C;\/script>/, 'the value is shown, escaped');
    assert.match(
      html,
      /<code id="value-\d+">https:\/\/bizagi\.contoso\.com\/hr'onmouseover=alert\(1\)<\/code>/,
      'a quote in a value does not leave its text',
    );
  } finally {
    t.done();
  }
});

test('--flavor and --html together: Markdown in the flavour, the handout from the GitHub documents', async () => {
  const t = tempDir();
  try {
    inRepository(t.path);
    const r = await runCli(
      ['generate', 'runbooks/contoso-hr.yaml', '--flavor', 'portable', '--html', '--env', 'test'],
      { cwd: t.path },
    );
    assert.is(r.code, 0, r.stderr);
    assert.is(
      readFileSync(join(t.path, 'runbooks/contoso-hr/test/runbook.md'), 'utf8'),
      readFileSync(join(root, 'test/fixtures/generate-options/flavor-portable/expected/test/runbook.md'), 'utf8'),
    );
    assert.is(
      readFileSync(join(t.path, 'runbooks/contoso-hr/test/handout.html'), 'utf8'),
      readFileSync(join(root, 'test/fixtures/generate-options/html-contoso-hr/expected/test/handout.html'), 'utf8'),
    );
  } finally {
    t.done();
  }
});

test('a config file sets the flavour and the handout once for the team; a flag still wins', async () => {
  const t = tempDir();
  try {
    inRepository(t.path);
    writeFileSync(join(t.path, 'mail-oauth-runbook.config.yaml'), 'flavor: portable\nhtml: true\n');
    let r = await runCli(['generate', 'runbooks/contoso-hr.yaml', '--env', 'test'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.is(
      readFileSync(join(t.path, 'runbooks/contoso-hr/test/runbook.md'), 'utf8'),
      readFileSync(join(root, 'test/fixtures/generate-options/flavor-portable/expected/test/runbook.md'), 'utf8'),
    );
    assert.ok(existsSync(join(t.path, 'runbooks/contoso-hr/test/handout.html')));
    r = await runCli(['generate', 'runbooks/contoso-hr.yaml', '--env', 'test', '--flavor', 'github', '--check'], {
      cwd: t.path,
    });
    assert.is(r.code, 1, 'the flag overrides the file: the portable runbook is stale for github');
    // --no-html undoes the file's html: true: the handout goes, as no longer generated.
    r = await runCli(['generate', 'runbooks/contoso-hr.yaml', '--env', 'test', '--no-html'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed runbooks\/contoso-hr\/test\/handout\.html \(no longer generated\)/);
    assert.not.ok(existsSync(join(t.path, 'runbooks/contoso-hr/test/handout.html')));
    r = await runCli(['generate', 'runbooks/contoso-hr.yaml', '--env', 'test', '--no-html', '--check'], {
      cwd: t.path,
    });
    assert.is(r.code, 0, r.stdout);
    writeFileSync(join(t.path, 'mail-oauth-runbook.config.yaml'), 'flavor: gitlab\n');
    r = await runCli(['generate', 'runbooks/contoso-hr.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /mail-oauth-runbook\.config\.yaml:1:\d+/);
    assert.match(r.stderr, /github, azure-devops, portable/);
  } finally {
    t.done();
  }
});

test('the handout packages (unified, remark, rehype, hastscript) are bundled into the handout chunk, loaded only by --html', () => {
  const chunks = join(root, 'dist/chunks');
  const files = [
    'cli.js',
    ...readdirSync(chunks)
      .filter((f) => f.endsWith('.js'))
      .map((f) => `chunks/${f}`),
  ];
  const text = new Map(files.map((f) => [f, readFileSync(join(root, 'dist', f), 'utf8')]));
  for (const [f, t] of text)
    assert.not.match(
      t,
      /from\s*"(unified|remark-rehype|rehype-stringify|hastscript|remark-parse|remark-gfm)"/,
      `${f} imports a Markdown → HTML package at run time: it must be bundled`,
    );
  const handout = files.filter((f) => /^chunks\/handout-[\w-]+\.js$/.test(f));
  assert.is(handout.length, 1, `one handout chunk: ${handout.join(', ')}`);
  const name = handout[0]!.slice('chunks/'.length);
  assert.match(text.get(handout[0]!)!, /micromark/, 'the Markdown parser is inside it');
  for (const [f, t] of text) {
    assert.not.ok(
      new RegExp(`from\\s*"\\./(chunks/)?${name.replace('.', '\\.')}"`).test(t),
      `${f} imports the handout statically`,
    );
  }
  assert.ok(
    [...text.values()].some((t) => t.includes(`import("./${name}")`)),
    'generate imports it on demand',
  );
});

test("the script's words are the catalogue's, each a JavaScript string that can neither end early nor close the script", () => {
  assert.ok(scriptFor(en.handout.script).includes(`say('${en.handout.script.resetDone}')`));
  const words = { noStorage: "it's", resetDone: 'a\\', copied: '</script><b>', copyFailed: 'line\nbreak\u2028' };
  const script = scriptFor(words);
  assert.not.match(script, /<\/script/i);
  // Run it against a stand-in page: the reset button's handler says the resetDone words, exactly.
  const said: string[] = [];
  const status = {
    set textContent(v: string) {
      said.push(v);
    },
  };
  const handlers: Record<string, () => void> = {};
  const document = {
    documentElement: { getAttribute: () => 'k' },
    querySelectorAll: () => [],
    getElementById: (id: string) =>
      id === 'status' ? status : { addEventListener: (_: string, f: () => void) => (handlers[id] = f) },
  };
  new Function('document', 'window', script)(document, { localStorage: { removeItem() {} } });
  handlers.reset!();
  assert.equal(said, ['a\\']);
});

test.run();
