import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { cellCodeSpan, codeSpan, escapeMarkdown, shellWord } from '../src/render/escape-markdown.ts';
import { psComment, psLiteral } from '../src/render/escape-powershell.ts';
import { root, runCli, tempDir } from './helpers/cli.ts';
import { structure } from './helpers/markdown.ts';
import { inspectPowerShell } from './helpers/powershell.ts';

// GFM finds bare URLs, www. names and e-mail addresses in the text after escapes are resolved, so no escape can
// stop them: templates put values that may hold them (names, domains, addresses) in code spans instead.
test('code spans keep bare URLs, www. names and e-mail addresses from becoming links', () => {
  assert.equal(structure(`A ${codeSpan('https://e.com www.e.com a@b.co')} b\n`), structure('A `x` b\n'));
});

test('escapeMarkdown keeps any other text inert, in a paragraph and in a table cell', () => {
  const nasty = '[x](y) ![i](x) <b>h</b> # h | c | `c` *e* _u_ ~~s~~ <x> &amp; $m$ \\ 1. - > \n=== ';
  const para = structure(`Before ${escapeMarkdown(nasty)} after.\n`);
  assert.equal(para, structure('Before plain after.\n'));
  const table = `| a | b |\n| --- | --- |\n| ${escapeMarkdown(nasty)} | ${cellCodeSpan('x|y`z')} |\n`;
  assert.equal(structure(table), structure('| a | b |\n| --- | --- |\n| plain | `c` |\n'));
  // Found by the property test: a backslash before a pipe must not pair with the pipe's escape.
  for (const v of ['\\|', '\\\\|', 'a\\|b|c\\\\\\|']) {
    assert.equal(
      structure(`| a | b |\n| --- | --- |\n| ${cellCodeSpan(v)} | ${escapeMarkdown(v)} |\n`),
      structure('| a | b |\n| --- | --- |\n| `c` | plain |\n'),
      v,
    );
  }
  for (const start of ['- x', '+ x', '1. x', '# x', '> x', '=== ', '2) x'])
    assert.equal(structure(`${escapeMarkdown(start)}\n`), structure('plain\n'), start);
});

test('codeSpan picks a fence longer than any backtick run; cellCodeSpan also escapes pipes', () => {
  assert.is(cellCodeSpan('a|b'), '`a\\|b`');
  assert.is(codeSpan('a|b'), '`a|b`');
  assert.is(codeSpan('a'), '`a`');
  assert.is(codeSpan('a`b'), '``a`b``');
  assert.is(codeSpan('`x'), '`` `x ``');
  assert.is(codeSpan('a\nb'), '`a b`');
});

test('psLiteral doubles every kind of single quote; psComment cannot end a comment', () => {
  assert.is(psLiteral("it's"), "'it''s'");
  assert.is(psLiteral('\u2018a\u2019\u201a\u201b'), "'\u2018\u2018a\u2019\u2019\u201a\u201a\u201b\u201b'");
  assert.is(psLiteral('$(x) `n "y"'), '\'$(x) `n "y"\'');
  assert.is(psComment('a\nb #> c <# d'), 'a b # > c < # d');
});

test('a psLiteral stays one string literal for the real grammar, whatever it holds', async () => {
  const values = [
    'a\n#> b; Remove-Item C:\\ -Recurse\n<#',
    "x' ; Stop-Computer ; '",
    '\u2019; Stop-Computer; \u2018',
    '$(Stop-Computer) `n ${env:PATH} @(1)',
    "''''",
    "'",
  ];
  for (const v of values) {
    const shape = await inspectPowerShell(`$x = ${psLiteral(v)}\nWrite-Output $x\n`);
    assert.equal(shape.errors, [], v);
    assert.equal(shape.commands, ['Write-Output'], v);
    assert.equal(shape.strings, [v], v);
  }
});

test('the ShouldProcess guard check finds a change made outside ShouldProcess', async () => {
  const shape = await inspectPowerShell(
    "function Add-Note { }\nSet-CASMailbox -Identity 'a'\nif ($PSCmdlet.ShouldProcess('a', 'x')) { Add-MailboxPermission -Identity 'a' } elseif ($x) { New-ServicePrincipal }\nAdd-Note\n",
  );
  assert.equal(shape.unguarded, ['Set-CASMailbox at line 2', 'New-ServicePrincipal at line 3']);
});

test('shellWord quotes what a shell would interpret', () => {
  assert.is(shellWord('contoso-hr.yaml'), 'contoso-hr.yaml');
  assert.is(shellWord("a b'c"), "'a b'\\''c'");
  assert.is(shellWord('$(rm -rf ~)'), "'$(rm -rf ~)'");
});

test('templates hold no bare values: every {{…}} is a helper call, a partial or a block', () => {
  const problems: string[] = [];
  const dir = join(root, 'templates');
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    if (!f.endsWith('.hbs')) continue;
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as {
        type?: string;
        params?: unknown[];
        loc?: { start: { line: number } };
        path?: { original?: string };
      };
      if (n.type === 'MustacheStatement' && (n.params?.length ?? 0) === 0)
        problems.push(`${f}:${n.loc?.start.line}: {{${n.path?.original}}}`);
      for (const v of Object.values(node)) if (v && typeof v === 'object') visit(v);
    };
    visit(Handlebars.parse(readFileSync(join(dir, f), 'utf8')));
  }
  assert.equal(problems, []);
});

// One manifest where every free-text field is hostile, and the same manifest with plain values.
const manifest = (v: {
  name: string;
  admin: string;
  it: string;
  mailbox: string;
  sendAs: string;
  group: string;
  url: string;
}) => `version: 1
tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b, domain: contoso.onmicrosoft.com }
bizagi: { company: contoso, project: hr, hosting: on-premises }
contacts: { itSupport: ${JSON.stringify(v.it)}, exchangeAdmin: ${JSON.stringify(v.admin)} }
environments:
  test:
    workPortalUrl: ${JSON.stringify(v.url)}
    app:
      displayName: ${JSON.stringify(v.name)}
      clientId: 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d
      enterpriseAppObjectId: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d
      secret: { env: HR_SECRET, expires: 2099-01-01 }
    smtp: { access: rbac, group: ${JSON.stringify(v.group)} }
    mailboxes:
      - address: ${JSON.stringify(v.mailbox)}
        protocols: [imap, pop, smtp]
        sendAs: [${JSON.stringify(v.sendAs)}]
`;
const hostile = {
  name: "x'; Remove-Mailbox -Identity *; ' #> <# $(gps) `\" \u2018\u2019\u201a\u201b [l](http://e) <img src=x> | # ~~s~~ www.e.com &amp; $m$",
  admin: "o'brien$x{y}#@contoso.com",
  // No * or ?: addresses with wildcards are refused (test/manifest-input.test.ts).
  it: "it'+$calc+'&=^~@contoso.com",
  mailbox: "mb'{$a}#!%/=^_~-@contoso.com",
  sendAs: "s'&'@contoso.com",
  group: "g'#$@contoso.com",
  url: "https://bizagi.contoso.com/a'b$(c)/d*e_f~g!h",
};
const plain = {
  name: 'plain name',
  admin: 'admin@contoso.com',
  it: 'it@contoso.com',
  mailbox: 'mb@contoso.com',
  sendAs: 's@contoso.com',
  group: 'g@contoso.com',
  url: 'https://bizagi.contoso.com/abc',
};

test('hostile values stay inert: same Markdown structure and same PowerShell commands as plain values', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'hostile.yaml'), manifest(hostile));
    writeFileSync(join(t.path, 'plain.yaml'), manifest(plain));
    for (const m of ['hostile', 'plain']) {
      const r = await runCli(['generate', `${m}.yaml`], { cwd: t.path });
      assert.is(r.code, 0, r.stderr);
    }
    for (const f of ['README.md', 'test/runbook.md', 'test/portal-checklist.md', 'test/field-sheet.md']) {
      const h = readFileSync(join(t.path, 'hostile', f), 'utf8');
      const p = readFileSync(join(t.path, 'plain', f), 'utf8');
      assert.equal(structure(h), structure(p), f);
      for (const block of h.matchAll(/```powershell\n([\s\S]*?)```/g))
        assert.equal((await inspectPowerShell(block[1]!)).errors, [], f);
    }
    const h = await inspectPowerShell(readFileSync(join(t.path, 'hostile/test/exchange-setup.ps1'), 'utf8'));
    const p = await inspectPowerShell(readFileSync(join(t.path, 'plain/test/exchange-setup.ps1'), 'utf8'));
    assert.equal(h.errors, []);
    assert.equal(h.commands, p.commands);
    for (const value of [hostile.name, hostile.admin, hostile.mailbox, hostile.sendAs, hostile.group]) {
      assert.ok(h.strings.includes(value), `one literal holds exactly ${value}`);
    }
    assert.not.ok(
      h.strings.some((s) => s.startsWith('"') && /Remove-Mailbox|calc|brien/.test(s)),
      'no value in a double-quoted string',
    );
  } finally {
    t.done();
  }
});

test.run();
