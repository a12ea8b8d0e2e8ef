import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { root, runCli, updating } from './helpers/cli.ts';
import { anchors, links, parseMarkdown, walk, type Flavor } from './helpers/markdown.ts';
import { inspectPowerShell } from './helpers/powershell.ts';

// Every golden output folder: the bundled example's committed runbooks, each fixture's expected/ folder, and the
// outputs of other settings (Markdown flavours, HTML handouts) under generate-options/<case>/{options.json,expected}.
const cases: { manifest: string; out: string; args: string[] }[] = [
  { manifest: 'runbooks/contoso-hr.yaml', out: 'runbooks/contoso-hr', args: [] },
  ...readdirSync(join(root, 'test/fixtures/generate')).map((c) => ({
    manifest: `test/fixtures/generate/${c}/manifest.yaml`,
    out: `test/fixtures/generate/${c}/expected`,
    args: [],
  })),
  ...readdirSync(join(root, 'test/fixtures/generate-options')).map((c) => {
    const o = JSON.parse(readFileSync(join(root, 'test/fixtures/generate-options', c, 'options.json'), 'utf8')) as {
      manifest: string;
      args: string[];
    };
    return { manifest: o.manifest, out: `test/fixtures/generate-options/${c}/expected`, args: o.args };
  }),
];
const flavorOf = (args: string[]): Flavor =>
  args.includes('--flavor') ? (args[args.indexOf('--flavor') + 1] as Flavor) : 'github';

const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name).slice(join(root, dir).length + 1))
    .sort();

for (const c of cases) {
  test(`generate --check: ${c.out} matches the templates`, async () => {
    if (updating) await runCli(['generate', c.manifest, '--out', c.out, ...c.args]);
    const r = await runCli(['generate', c.manifest, '--out', c.out, ...c.args, '--check']);
    assert.is(r.code, 0, `${r.stdout}${r.stderr}\n(run UPDATE=1 npm test to regenerate)`);
  });

  const flavor = flavorOf(c.args);
  test(`${c.out}: every Markdown link to an anchor resolves (${flavor} slug rules)`, () => {
    const docs = new Map(
      filesUnder(c.out)
        .filter((f) => f.endsWith('.md'))
        .map((f) => [f, parseMarkdown(readFileSync(join(root, c.out, f), 'utf8'))]),
    );
    assert.ok(docs.size >= 4);
    for (const [file, tree] of docs) {
      for (const url of links(tree)) {
        if (/^https?:/.test(url)) continue;
        const [path, anchor] = url.split('#') as [string, string | undefined];
        const target = path === '' ? file : join(file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '', path);
        const doc = target.endsWith('.md') ? docs.get(target) : undefined;
        if (!target.endsWith('.md')) {
          assert.ok(filesUnder(c.out).includes(target), `${file}: link to missing file ${url}`);
          continue;
        }
        assert.ok(doc, `${file}: link to missing document ${url}`);
        if (anchor) assert.ok(anchors(doc!, flavor).has(anchor), `${file}: broken anchor ${url}`);
      }
    }
  });

  if (flavor !== 'github') {
    test(`${c.out}: only the constructs ${flavor} renders`, () => {
      for (const f of filesUnder(c.out).filter((x) => x.endsWith('.md'))) {
        const text = readFileSync(join(root, c.out, f), 'utf8');
        assert.not.match(text, /^> \[!(NOTE|WARNING|IMPORTANT|TIP|CAUTION)\]/m, `${f}: no GitHub alerts`);
        assert.not.match(text, /```mermaid/, `${f}: no GitHub Mermaid fence`);
        const tree = parseMarkdown(text);
        if (flavor === 'portable') {
          walk(tree, (n) => assert.is.not(n.type, 'html', `${f}: no raw HTML`));
          assert.not.match(text, /^:::|\[\[_TOC_\]\]/m, `${f}: no wiki syntax`);
        }
        if (flavor === 'azure-devops' && f.endsWith('runbook.md')) {
          assert.match(text, /^\[\[_TOC_\]\]$/m, `${f}: the wiki's table of contents`);
          assert.match(text, /^::: mermaid\n[\s\S]*?\n:::$/m, `${f}: the wiki's Mermaid block`);
          assert.not.match(
            text.match(/::: mermaid[\s\S]*?:::/)![0],
            /<[a-z/]/i,
            `${f}: no HTML inside the wiki's Mermaid block`,
          );
        }
      }
    });
  }

  test(`${c.out}: every PowerShell script parses with the real grammar`, async () => {
    const scripts = filesUnder(c.out).filter((f) => f.endsWith('.ps1'));
    assert.ok(scripts.length >= 1);
    for (const s of scripts) {
      const shape = await inspectPowerShell(readFileSync(join(root, c.out, s), 'utf8'));
      assert.equal(shape.errors, [], s);
      assert.equal(shape.unguarded, [], `${s}: every change goes through ShouldProcess, so -WhatIf changes nothing`);
      // Each script signs in to the service it changes, and signs out: an Exchange script to Exchange Online.
      const service = basename(s).startsWith('exchange-') ? 'ExchangeOnline' : '\\w+';
      const called = (verb: string) => shape.commands.some((c) => new RegExp(`^${verb}-${service}$`).test(c));
      assert.ok(called('Connect') && called('Disconnect'), `${s} signs in and out`);
      assert.not.ok(
        shape.commands.includes('New-ServicePrincipal') &&
          /-ServiceId/.test(readFileSync(join(root, c.out, s), 'utf8')),
        'never -ServiceId',
      );
    }
  });

  test(`${c.out}: the PowerShell blocks inside the runbook parse too`, async () => {
    for (const f of filesUnder(c.out).filter((x) => x.endsWith('runbook.md'))) {
      const text = readFileSync(join(root, c.out, f), 'utf8');
      for (const m of text.matchAll(/```powershell\n([\s\S]*?)```/g)) {
        const shape = await inspectPowerShell(m[1]!);
        assert.equal(shape.errors, [], `${f}: ${m[1]}`);
      }
    }
  });
}

test.run();
