import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { root, runInProcess } from './helpers/cli.ts';
import { structure } from './helpers/markdown.ts';
import { inspectPowerShell } from './helpers/powershell.ts';

// Property tests: generated inputs, through the CLI entry point in this process (same code as the bin, far faster
// than a spawn per case). `npm run fuzz` runs them with FUZZ_RUNS cases each.
const runs = Number(process.env.FUZZ_RUNS ?? 40);
// `npm test` (and so CI) replays fixed cases, so a run is reproducible; `npm run fuzz` draws new ones each time
// unless FUZZ_SEED is given, and prints the seed fast-check reports on a failure.
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? undefined : 20261128;
const options = (numRuns: number) => ({ numRuns, ...(seed === undefined ? {} : { seed }) });
const report = (name: string, n: number) => console.log(`    property "${name}": ${n} cases`);

interface Values {
  envName: string;
  displayName: string;
  admin: string;
  itSupport: string;
  mailbox: string;
  sendAs: string;
  group: string;
  url: string;
  secretEnv: string;
  domain: string;
}

const manifestFor = (v: Values) => ({
  version: 1,
  tenant: { id: '72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b', domain: v.domain },
  bizagi: { company: 'contoso', project: 'hr', hosting: 'on-premises' },
  contacts: { itSupport: v.itSupport, exchangeAdmin: v.admin },
  environments: {
    [v.envName]: {
      workPortalUrl: v.url,
      app: {
        displayName: v.displayName,
        clientId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
        enterpriseAppObjectId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
        secret: { env: v.secretEnv, expires: '2099-01-01' },
      },
      smtp: { access: 'rbac', group: v.group },
      mailboxes: [{ address: v.mailbox, protocols: ['imap', 'pop', 'smtp'], sendAs: [v.sendAs] }],
    },
  },
});

const plain: Values = {
  envName: 'test',
  displayName: 'plain',
  admin: 'admin@contoso.com',
  itSupport: 'it@contoso.com',
  mailbox: 'mb@contoso.com',
  sendAs: 'sa@contoso.com',
  group: 'g@contoso.com',
  url: 'https://bizagi.contoso.com/hr',
  secretEnv: 'HR_SECRET',
  domain: 'contoso.com',
};

// Arbitrary Unicode mixed with the characters that break PowerShell and Markdown, and with values of the right
// shape but hostile insides, so that both the reject path and the accept path are exercised.
// Bidirectional controls, lone surrogates and Exchange wildcards (* ?) must always be refused (issue 12).
const refusedText =
  /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const nasty = fc.constantFrom(
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2069',
  '\u200f',
  '\ud800',
  '\udfff',
  '?',
  "'",
  '\u2018',
  '\u2019',
  '\u201a',
  '\u201b',
  '"',
  '`',
  '$(',
  '${',
  ';',
  '#',
  '<#',
  '#>',
  '\n',
  '\r\n',
  '|',
  '[',
  '](',
  '<',
  '>',
  '*',
  '_',
  '~',
  '&',
  '!',
  '\\',
  '\u0000',
  '\u2028',
  'www.',
  'https://',
  '@',
  '{',
  '}',
  ' ',
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((a) => a.join('')),
);
const atom = fc.array(fc.constantFrom(..."abc!#$%&'+/=^_{}~-"), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
const localPart = fc.array(atom, { minLength: 1, maxLength: 3 }).map((a) => a.join('.'));
const wildcard = fc
  .tuple(localPart, fc.constantFrom('*', '?'), fc.nat())
  .map(([l, w, i]) => `${l.slice(0, i % (l.length + 1))}${w}${l.slice(i % (l.length + 1))}@contoso.com`);
const email = fc.oneof(
  text,
  localPart.map((l) => `${l}@contoso.com`),
  wildcard,
);
const envName = fc.oneof(
  text,
  fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/),
  fc.constantFrom('con', 'nul', 'lpt1', '../x', 'a/b', '.git', 'x.y', 'CON'),
);
// Each field is mostly of an accepted shape (with hostile insides) and sometimes anything at all.
const mostly = <T>(valid: fc.Arbitrary<T>, anything: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: anything, weight: 1 });
const displayName = text.filter(
  (s) => s.length > 0 && s.length <= 120 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s) && !refusedText.test(s),
);
const validEmail = localPart.map((l) => `${l}@contoso.com`);
const values: fc.Arbitrary<Values> = fc.record({
  envName: mostly(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/), envName),
  displayName: mostly(displayName, text),
  admin: mostly(validEmail, email),
  itSupport: mostly(validEmail, email),
  mailbox: mostly(validEmail, email),
  sendAs: mostly(validEmail, email),
  group: mostly(validEmail, email),
  url: mostly(
    fc
      .array(fc.constantFrom(..."abc'!$&*+=~-._()"), { maxLength: 12 })
      .map((a) => `https://bizagi.contoso.com/${a.join('')}`),
    text,
  ),
  secretEnv: mostly(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), text),
  domain: mostly(fc.constantFrom('contoso.com', 'www.contoso.com'), text),
});

async function generateTo(dir: string, v: Values): Promise<{ code: number | null; stderr: string }> {
  writeFileSync(join(dir, 'm.yaml'), stringify(manifestFor(v)));
  return runInProcess(['generate', 'm.yaml', '--out', 'out', '--html'], { cwd: dir });
}

/** Elements of a handout by tag (copy buttons aside: a value with a control character is shown flattened, so not copied). */
const htmlStructure = (html: string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)[\s>]/g))
    if (m[1] !== 'button') counts[m[1]!] = (counts[m[1]!] ?? 0) + 1;
  return counts;
};

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

test('any free-text value is rejected with a diagnostic or stays inert in PowerShell, Markdown and the HTML handout', async () => {
  const base = mkdtempSync(join(tmpdir(), 'mor-prop-'));
  try {
    assert.is((await generateTo(base, plain)).code, 0);
    const baseScript = await inspectPowerShell(readFileSync(join(base, 'out/test/exchange-setup.ps1'), 'utf8'));
    const baseHandout = htmlStructure(readFileSync(join(base, 'out/test/handout.html'), 'utf8'));
    const baseDocs = Object.fromEntries(
      ['README.md', 'test/runbook.md', 'test/portal-checklist.md', 'test/field-sheet.md'].map((f) => [
        f.replace('test/', ''),
        structure(readFileSync(join(base, 'out', f), 'utf8')),
      ]),
    );
    let accepted = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(values, async (v) => {
        n++;
        const dir = mkdtempSync(join(tmpdir(), 'mor-prop-'));
        try {
          const r = await generateTo(dir, v);
          if (r.code === 2) {
            if (process.env.DEBUG_PROPERTY)
              console.log(/\[([a-z0-9-]+)\]/.exec(r.stderr)?.[1], JSON.stringify(v).slice(0, 300));
            assert.match(r.stderr, /(error|warning) \[[a-z0-9-]+\]/);
            assert.equal(readdirSync(dir), ['m.yaml'], 'nothing written on rejection');
            return;
          }
          assert.is(r.code, 0, r.stderr);
          accepted++;
          for (const value of Object.values(v))
            assert.not.match(value, refusedText, 'no bidirectional control or lone surrogate is accepted');
          for (const address of [v.admin, v.itSupport, v.mailbox, v.sendAs, v.group])
            assert.not.match(address, /[*?]/, 'no wildcard address is accepted');
          const out = resolve(dir, 'out');
          for (const f of listFiles(out)) assert.not.ok(relative(out, f).startsWith('..'), 'inside --out');
          const script = readFileSync(join(out, v.envName, 'exchange-setup.ps1'), 'utf8');
          const shape = await inspectPowerShell(script);
          assert.equal(shape.errors, []);
          assert.equal(shape.commands, baseScript.commands);
          for (const value of [v.displayName, v.admin, v.mailbox, v.sendAs, v.group])
            assert.ok(shape.strings.includes(value), `one literal holds ${JSON.stringify(value)}`);
          assert.equal(
            htmlStructure(readFileSync(join(out, v.envName, 'handout.html'), 'utf8')),
            baseHandout,
            'the handout has the same elements',
          );
          for (const [f, counts] of Object.entries(baseDocs)) {
            const path = f === 'README.md' ? join(out, f) : join(out, v.envName, f);
            assert.equal(structure(readFileSync(path, 'utf8')), counts, f);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      options(runs),
    );
    report(`free text is rejected or inert (${accepted} accepted and generated, ${n - accepted} rejected)`, n);
    assert.ok(accepted > 0, 'some generated values were accepted');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'));
const mutation = fc.oneof(
  fc.nat().map((i) => (b: Buffer) => b.subarray(0, i % (b.length + 1))),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([i, x]) => (b: Buffer) => {
    const c = Buffer.from(b);
    c[i % c.length] = x;
    return c;
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 16 })).map(
    ([i, bytes]) =>
      (b: Buffer) =>
        Buffer.concat([b.subarray(0, i % b.length), Buffer.from(bytes), b.subarray(i % b.length)]),
  ),
  fc.constant((b: Buffer) => Buffer.from(b.toString('utf8').replace(/\n/g, '\r\n'))),
  fc.constant((b: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])),
  fc.nat().map((i) => (b: Buffer) => {
    const lines = b.toString('utf8').split('\n');
    const k = i % lines.length;
    return Buffer.from([...lines.slice(0, k), lines[k], ...lines.slice(k)].join('\n'));
  }),
  fc.nat().map((i) => (b: Buffer) => {
    const lines = b.toString('utf8').split('\n');
    lines.splice(i % lines.length, 1);
    return Buffer.from(lines.join('\n'));
  }),
);

test('mutated YAML: exit 0 or 2 with a diagnostic, never a crash, never partial output', async () => {
  let n = 0;
  const dir = mkdtempSync(join(tmpdir(), 'mor-mut-'));
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (ms) => {
        n++;
        const bytes = ms.reduce<Buffer>((b, m) => m(b), example);
        writeFileSync(join(dir, 'm.yaml'), bytes);
        rmSync(join(dir, 'out'), { recursive: true, force: true });
        const started = Date.now();
        const r = await runInProcess(['generate', 'm.yaml', '--out', 'out'], { cwd: dir });
        assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.stderr}`);
        assert.not.match(r.stderr, /internal error|\n\s+at /);
        if (r.code === 2) {
          assert.match(r.stderr, /error \[[a-z0-9-]+\]/);
          assert.equal(readdirSync(dir), ['m.yaml']);
        }
        assert.ok(Date.now() - started < 5000);
      }),
      options(runs * 2),
    );
    report('mutated YAML never crashes', n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('environment names that could leave --out or name a device are refused with a clear message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mor-path-'));
  try {
    for (const name of [
      '../x',
      '..',
      '.',
      'a/b',
      'a\\b',
      'CON',
      'con',
      'nul',
      'com1',
      'lpt9',
      '.git',
      'x.y',
      '-x',
      'x-',
      'Test',
      'a b',
      '',
    ]) {
      const r = await generateTo(dir, { ...plain, envName: name });
      assert.is(r.code, 2, name);
      assert.match(r.stderr, /invalid-environment-name|error \[/, name);
      assert.equal(readdirSync(dir), ['m.yaml'], name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A secret value spelled with any mix of YAML escapes, glued to a prefix, in any field: refused, never echoed.
const secretChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-';
const secretChar = fc.constantFrom(...secretChars);
const secretValue = fc
  .tuple(
    fc.array(secretChar, { minLength: 3, maxLength: 3 }),
    fc.integer({ min: 0, max: 9 }),
    fc.array(secretChar, { minLength: 31, maxLength: 34 }),
  )
  .map(([a, d, b]) => `${a.join('')}${d}Q~${b.join('')}`);
const spelling = fc.constantFrom<(c: string) => string>(
  (c) => c,
  (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  (c) => `\\U${c.charCodeAt(0).toString(16).padStart(8, '0')}`,
);
const exampleText = example.toString('utf8');
const secretFields: [string, (spelled: string) => string][] = [
  ['displayName', (x) => exampleText.replace('displayName: Bizagi HR mail (test)', `displayName: "${x}"`)],
  ['secret.env', (x) => exampleText.replace('env: HR_TEST_MAIL_SECRET', `env: "${x}"`)],
  ['address', (x) => exampleText.replace('address: hr-test@contoso.com', `address: "${x}"`)],
  ['domain', (x) => exampleText.replace('domain: contoso.onmicrosoft.com', `domain: "${x}"`)],
  ['a key', (x) => exampleText.replace('  test:\n', `  test:\n    "${x}": 1\n`)],
];

test('a secret-shaped value in any spelling and any field is refused without being echoed', async () => {
  let n = 0;
  const dir = mkdtempSync(join(tmpdir(), 'mor-secret-'));
  try {
    await fc.assert(
      fc.asyncProperty(
        secretValue,
        fc.array(spelling, { minLength: 48, maxLength: 48 }),
        fc.stringMatching(/^[a-z0-9-]{0,6}$/),
        fc.integer({ min: 0, max: secretFields.length - 1 }),
        async (secret, spell, prefix, field) => {
          n++;
          const spelled = [...`${prefix}${secret}`].map((c, i) => spell[i % spell.length]!(c)).join('');
          writeFileSync(join(dir, 'm.yaml'), secretFields[field]![1](spelled));
          rmSync(join(dir, 'out'), { recursive: true, force: true });
          const r = await runInProcess(['generate', 'm.yaml', '--out', 'out'], { cwd: dir });
          const j = await runInProcess(['validate', 'm.yaml', '--json'], { cwd: dir });
          assert.is(r.code, 2, r.stderr);
          assert.match(r.stderr, /error \[secret-value-in-manifest\]/);
          assert.equal(readdirSync(dir), ['m.yaml']);
          for (const out of [r.stdout + r.stderr, j.stdout])
            assert.not.ok(out.includes(secret.slice(6, 20)), `echoed: ${out}`);
        },
      ),
      options(runs),
    );
    report('secrets in any spelling are refused, never echoed', n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
