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
  envName: 'test', displayName: 'plain', admin: 'admin@contoso.com', itSupport: 'it@contoso.com', mailbox: 'mb@contoso.com',
  sendAs: 'sa@contoso.com', group: 'g@contoso.com', url: 'https://bizagi.contoso.com/hr', secretEnv: 'HR_SECRET', domain: 'contoso.com',
};

// Arbitrary Unicode mixed with the characters that break PowerShell and Markdown, and with values of the right
// shape but hostile insides, so that both the reject path and the accept path are exercised.
const nasty = fc.constantFrom("'", '\u2018', '\u2019', '\u201a', '\u201b', '"', '`', '$(', '${', ';', '#', '<#', '#>', '\n', '\r\n', '|', '[', '](', '<', '>', '*', '_', '~', '&', '!', '\\', '\u0000', '\u2028', 'www.', 'https://', '@', '{', '}', ' ');
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.oneof(nasty, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((a) => a.join('')));
const atom = fc.array(fc.constantFrom(..."abc!#$%&'*+/=?^_{}~-"), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
const localPart = fc.array(atom, { minLength: 1, maxLength: 3 }).map((a) => a.join('.'));
const email = fc.oneof(text, localPart.map((l) => `${l}@contoso.com`));
const envName = fc.oneof(text, fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/), fc.constantFrom('con', 'nul', 'lpt1', '../x', 'a/b', '.git', 'x.y', 'CON'));
// Each field is mostly of an accepted shape (with hostile insides) and sometimes anything at all.
const mostly = <T,>(valid: fc.Arbitrary<T>, anything: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: anything, weight: 1 });
const displayName = text.filter((s) => s.length > 0 && s.length <= 120 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s));
const validEmail = localPart.map((l) => `${l}@contoso.com`);
const values: fc.Arbitrary<Values> = fc.record({
  envName: mostly(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/), envName),
  displayName: mostly(displayName, text),
  admin: mostly(validEmail, email), itSupport: mostly(validEmail, email), mailbox: mostly(validEmail, email),
  sendAs: mostly(validEmail, email), group: mostly(validEmail, email),
  url: mostly(fc.array(fc.constantFrom(..."abc'!$&*+=~-._()"), { maxLength: 12 }).map((a) => `https://bizagi.contoso.com/${a.join('')}`), text),
  secretEnv: mostly(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), text),
  domain: mostly(fc.constantFrom('contoso.com', 'www.contoso.com'), text),
});

async function generateTo(dir: string, v: Values): Promise<{ code: number | null; stderr: string }> {
  writeFileSync(join(dir, 'm.yaml'), stringify(manifestFor(v)));
  return runInProcess(['generate', 'm.yaml', '--out', 'out'], { cwd: dir });
}

const listFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

test('any free-text value is rejected with a diagnostic or stays inert in PowerShell and Markdown', async () => {
  const base = mkdtempSync(join(tmpdir(), 'mor-prop-'));
  try {
    assert.is((await generateTo(base, plain)).code, 0);
    const baseScript = await inspectPowerShell(readFileSync(join(base, 'out/test/exchange-setup.ps1'), 'utf8'));
    const baseDocs = Object.fromEntries(['README.md', 'test/runbook.md', 'test/portal-checklist.md', 'test/field-sheet.md'].map((f) => [f.replace('test/', ''), structure(readFileSync(join(base, 'out', f), 'utf8'))]));
    let accepted = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(values, async (v) => {
        n++;
        const dir = mkdtempSync(join(tmpdir(), 'mor-prop-'));
        try {
          const r = await generateTo(dir, v);
          if (r.code === 2) {
            if (process.env.DEBUG_PROPERTY) console.log(/\[([a-z0-9-]+)\]/.exec(r.stderr)?.[1], JSON.stringify(v).slice(0, 300));
            assert.match(r.stderr, /(error|warning) \[[a-z0-9-]+\]/);
            assert.equal(readdirSync(dir), ['m.yaml'], 'nothing written on rejection');
            return;
          }
          assert.is(r.code, 0, r.stderr);
          accepted++;
          const out = resolve(dir, 'out');
          for (const f of listFiles(out)) assert.not.ok(relative(out, f).startsWith('..'), 'inside --out');
          const script = readFileSync(join(out, v.envName, 'exchange-setup.ps1'), 'utf8');
          const shape = await inspectPowerShell(script);
          assert.equal(shape.errors, []);
          assert.equal(shape.commands, baseScript.commands);
          for (const value of [v.displayName, v.admin, v.mailbox, v.sendAs, v.group]) assert.ok(shape.strings.includes(value), `one literal holds ${JSON.stringify(value)}`);
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
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([i, x]) => (b: Buffer) => { const c = Buffer.from(b); c[i % c.length] = x; return c; }),
  fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 16 })).map(([i, bytes]) => (b: Buffer) => Buffer.concat([b.subarray(0, i % b.length), Buffer.from(bytes), b.subarray(i % b.length)])),
  fc.constant((b: Buffer) => Buffer.from(b.toString('utf8').replace(/\n/g, '\r\n'))),
  fc.constant((b: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])),
  fc.nat().map((i) => (b: Buffer) => { const lines = b.toString('utf8').split('\n'); const k = i % lines.length; return Buffer.from([...lines.slice(0, k), lines[k], ...lines.slice(k)].join('\n')); }),
  fc.nat().map((i) => (b: Buffer) => { const lines = b.toString('utf8').split('\n'); lines.splice(i % lines.length, 1); return Buffer.from(lines.join('\n')); }),
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
    for (const name of ['../x', '..', '.', 'a/b', 'a\\b', 'CON', 'con', 'nul', 'com1', 'lpt9', '.git', 'x.y', '-x', 'x-', 'Test', 'a b', '']) {
      const r = await generateTo(dir, { ...plain, envName: name });
      assert.is(r.code, 2, name);
      assert.match(r.stderr, /invalid-environment-name|error \[/, name);
      assert.equal(readdirSync(dir), ['m.yaml'], name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
