// The package as users get it: packed, installed from the tarball into a folder of its own (offline, from the npm
// cache, through a lock file derived from ours), and run from an unrelated folder; the library API imported by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { root, runProgram, tempDir } from './helpers/cli.ts';
import { canarySecret, startWorld } from './helpers/world.ts';
import type { VerifyReport } from '../src/verify/report/result.ts';
import { renderedIn } from '../src/plan/documents.ts';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  bin: Record<string, string>;
  engines: object;
  dependencies: Record<string, string>;
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const t = tempDir();
const app = join(t.path, 'app');
const elsewhere = join(t.path, 'elsewhere');
const bin = join(app, 'node_modules', '.bin', 'mail-oauth-runbook');

const run = (file: string, args: string[], opts: { cwd: string; env?: Record<string, string> }) =>
  runProgram(file, args, { cwd: opts.cwd, env: { NO_COLOR: '1', ...opts.env } });

/**
 * Type-checks and compiles a consumer program in the app folder against the published declarations: strict, no
 * @types/node, skipLibCheck off (they must be sound on their own).
 */
async function compileConsumer(file: string): Promise<void> {
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        outDir: 'out',
        skipLibCheck: false,
        types: [],
      },
      include: [file],
    }),
  );
  const tsc = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app });
  assert.is(tsc.code, 0, tsc.stdout + tsc.stderr);
}

test.before(() => {
  // --ignore-scripts: dist/ is already built by the test run; prepare would rebuild it under the other suites' feet.
  const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', t.path], {
    cwd: root,
    encoding: 'utf8',
  });
  const { filename } = (JSON.parse(packed) as { filename: string }[])[0]!;
  const tarball = `file:../${filename}`;
  // A lock file: the tarball plus our own locked runtime dependencies, so `npm ci --offline` needs no registry.
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; link?: boolean }>;
  };
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { 'mail-oauth-runbook': tarball } },
    'node_modules/mail-oauth-runbook': {
      version: pkg.version,
      resolved: tarball,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages))
    if (path && !entry.dev && !entry.link) packages[path] = entry;
  mkdirSync(app);
  mkdirSync(elsewhere);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { 'mail-oauth-runbook': tarball },
    }),
  );
  writeFileSync(
    join(app, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }),
  );
  execFileSync(npm, ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
});
test.after(() => t.done());

test('the tarball holds the built CLI, the library with its types, templates, schema, LICENSE and CHANGELOG, and no sources', () => {
  const listed = JSON.parse(
    execFileSync(npm, ['pack', '--ignore-scripts', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' }),
  ) as { files: { path: string }[] }[];
  const paths = listed[0]!.files.map((f) => f.path);
  for (const p of [
    'bin/mail-oauth-runbook.js',
    'dist/cli.js',
    'dist/index.js',
    'dist/types/index.d.ts',
    'templates/runbook.md.hbs',
    'templates/init.yaml',
    'schemas/manifest.schema.json',
    'LICENSE',
    'CHANGELOG.md',
    'README.md',
    'package.json',
  ]) {
    assert.ok(paths.includes(p), `${p} is packed`);
  }
  assert.equal(
    paths.filter((p) => /^(src|test|bench)\//.test(p) || (p.endsWith('.ts') && !p.endsWith('.d.ts'))),
    [],
    'no sources or tests',
  );
});

test('runtime dependencies are only the packages dist loads at run time', () => {
  const dist = execFileSync('find', [join(root, 'dist'), '-name', '*.js'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const loaded = new Set<string>();
  for (const file of dist) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)"([@\w./:-]+)"/g)) {
      // Node's own modules, with or without node: (bundled msal-node imports "crypto", "fs", "http", "path").
      if (spec!.startsWith('.') || spec!.startsWith('node:') || builtinModules.includes(spec!)) continue;
      loaded.add(/^(?:@[^/]+\/)?[^/]+/.exec(spec!)![0]);
    }
  }
  assert.equal([...loaded].sort(), Object.keys(pkg.dependencies).sort());
});

test('the installed command runs every command from an unrelated folder', async () => {
  assert.ok(existsSync(bin), 'npm linked the bin');
  let r = await run(bin, ['--version'], { cwd: elsewhere });
  assert.is(r.stdout.trim(), pkg.version);
  r = await run(bin, ['-v'], { cwd: elsewhere });
  assert.is(r.stdout.trim(), pkg.version);
  r = await run(bin, ['--help'], { cwd: elsewhere });
  assert.is(r.code, 0);
  assert.match(r.stdout, /Commands:/);
  r = await run(
    bin,
    ['init', 'team.yaml', '--company', 'contoso', '--project', 'hr', '--mailbox', 'test:hr-test@contoso.com'],
    { cwd: elsewhere },
  );
  assert.is(r.code, 0, r.stderr);
  r = await run(bin, ['validate', 'team.yaml'], { cwd: elsewhere });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /team\.yaml: valid/);
  r = await run(bin, ['schema'], { cwd: elsewhere });
  assert.is((JSON.parse(r.stdout) as { $schema: string }).$schema, 'https://json-schema.org/draft/2020-12/schema');
  r = await run(bin, ['generate', 'team.yaml'], { cwd: elsewhere });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /written/);
  r = await run(bin, ['generate', 'team.yaml', '--check'], { cwd: elsewhere });
  assert.is(r.code, 0, r.stderr);
  // --html loads its Markdown → HTML packages from the installed package.
  r = await run(bin, ['generate', 'team.yaml', '--html', '--out', 'team-html'], { cwd: elsewhere });
  assert.is(r.code, 0, r.stderr);
  assert.ok(
    readdirSync(join(elsewhere, 'team-html')).some((d) => existsSync(join(elsewhere, 'team-html', d, 'handout.html'))),
    'a handout was written',
  );
  const record = JSON.parse(readFileSync(join(elsewhere, 'team', '.mail-oauth-runbook.json'), 'utf8')) as {
    version: string;
  };
  assert.is(record.version, pkg.version, 'the record names the version that wrote the files');
  // verify loads its runtime dependencies (imapflow, nodemailer) from the installed package, msal-node from its chunk.
  const w = await startWorld();
  try {
    r = await run(bin, ['verify', join(root, 'runbooks/contoso-hr.yaml'), '--env', 'production', ...w.args], {
      cwd: elsewhere,
      env: w.env,
    });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASSED|passed/);
  } finally {
    await w.close();
  }
});

test('the library API, imported by name with its types, loads, plans and renders like the CLI', async () => {
  writeFileSync(
    join(app, 'use.ts'),
    `import { loadManifest, checkManifest, buildPlan, renderDocuments, version, type Plan, type Diagnostic } from 'mail-oauth-runbook';
const loaded = await loadManifest(${JSON.stringify(join(root, 'runbooks/contoso-hr.yaml'))}, { today: '2026-11-28' });
if (!loaded.manifest) throw new Error('invalid');
const plan: Plan = buildPlan(loaded.manifest, 'contoso-hr.yaml', { repositoryPath: 'runbooks/contoso-hr.yaml' });
const docs: Map<string, string> = await renderDocuments(plan, { environments: ['test'] });
const bad = await checkManifest('version: 1\\ntenant: {}\\n', { file: 'form.yaml' });
const first: Diagnostic | undefined = bad.diagnostics[0];
console.log(JSON.stringify({ version, valid: loaded.valid, envs: plan.environments.map((e) => e.name), files: [...docs.keys()], runbook: docs.get('test/runbook.md'), bad: bad.valid, first: first && [first.file, first.code] }));
`,
  );
  await compileConsumer('use.ts');
  const r = await run(process.execPath, ['out/use.js'], { cwd: app });
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    version: string;
    valid: boolean;
    envs: string[];
    files: string[];
    runbook: string;
    bad: boolean;
    first: string[];
  };
  assert.is(out.version, pkg.version);
  assert.ok(out.valid);
  assert.equal(out.envs, ['test', 'production']);
  assert.equal(out.files, [
    ...renderedIn('top').map((d) => d.file),
    ...renderedIn('environment').map((d) => `test/${d.file}`),
  ]);
  assert.is(
    out.runbook,
    readFileSync(join(root, 'runbooks/contoso-hr/test/runbook.md'), 'utf8'),
    'the same bytes as generate',
  );
  assert.is(out.bad, false);
  assert.is(out.first![0], 'form.yaml');
});

test('the library verifies an environment like the CLI, loading its network packages only then, never showing the secret', async () => {
  // Plan and render only: the static imports of dist/index.js reach none of verify's packages or code.
  const staticGraph = new Set<string>();
  const walk = (file: string): void => {
    if (staticGraph.has(file)) return;
    staticGraph.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/\bfrom\s*"([^"]+)"/g))
      if (spec!.startsWith('.')) walk(join(file, '..', spec!));
      else staticGraph.add(spec!);
  };
  walk(join(root, 'dist/index.js'));
  for (const lazy of ['@azure/msal-node', 'imapflow', 'nodemailer'])
    assert.not.ok(staticGraph.has(lazy), `${lazy} is not loaded by importing the library`);
  assert.ok(
    [...staticGraph].every((f) => !/embedded-/.test(f)),
    'verify is a chunk of its own, loaded on the first call',
  );

  writeFileSync(
    join(app, 'verify.ts'),
    `import { loadManifest, buildPlan, verifyEnvironment, UsageError, type CheckResult, type VerifyReport, type VerifyEnvironmentOptions } from 'mail-oauth-runbook';
// No @types/node here: the library's declarations must not need them.
declare const process: { argv: string[]; env: Record<string, string | undefined> };
declare class RangeError extends Error {}
const [manifestPath, authorityHost, imap, pop, smtp] = process.argv.slice(2) as [string, string, string, string, string];
const { manifest } = await loadManifest(manifestPath);
if (!manifest) throw new Error('invalid');
const plan = buildPlan(manifest, 'contoso-hr.yaml', { repositoryPath: 'runbooks/contoso-hr.yaml' });
const where = { authorityHost, servers: { imap, pop, smtp }, timeoutSeconds: 10 };
const seen: string[] = [];
const good: VerifyReport = await verifyEnvironment(plan, 'production', { ...where, secret: process.env.SECRET!, onCheck: (c: CheckResult) => seen.push(c.id) });
const wrong = await verifyEnvironment(plan, 'production', { ...where, secret: async () => 'Wr0ng~S3cr3t.V4lu3-that-Entra-refuses', tokenOnly: true });
const refused: string[] = [];
for (const bad of [{ secret: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' }, { secret: 'x', concurrency: 0 }, { secret: 'x', servers: { imap: 'no-port' } }]) {
  try { await verifyEnvironment(plan, 'production', { ...where, ...bad }); } catch (e) { if (e instanceof UsageError) refused.push(e.code); }
}
try { await verifyEnvironment(plan, 'prod', where); } catch (e) { if (e instanceof UsageError) refused.push(e.code); }
// What untyped callers can pass, and callers' own code failing: refused or handed back, never leaking the secret.
const asked: string[] = [];
const secret = () => { asked.push('asked'); return process.env.SECRET!; };
const loose = (o: object) => o as unknown as VerifyEnvironmentOptions;
const outcomes: string[] = [];
const attempt = async (o: VerifyEnvironmentOptions) => {
  try { await verifyEnvironment(plan, 'production', o); outcomes.push('resolved'); }
  catch (e) { outcomes.push(e instanceof UsageError ? e.code : e instanceof RangeError ? 'caller-error:' + e.message : 'other:' + String(e)); }
};
await attempt({ ...where, secret: 'short-secret' });
await attempt({ ...where, secret: () => { throw new Error('vault refused ' + process.env.SECRET); } });
await attempt(loose({ ...where, secret, timeout: 5 }));
await attempt(loose({ ...where, secret, servers: { Imap: '127.0.0.1:1' } }));
await attempt(loose({ ...where, secret, timeoutSeconds: '30' }));
await attempt({ ...where, secret, authorityHost: 'http://127.0.0.1:1' });
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
await attempt({ ...where, secret, env: {} });
delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
await attempt({ ...where, secret, tokenOnly: true, onCheck: async () => { throw new RangeError('caller broke'); } });
console.log(JSON.stringify({ good, wrong, seen, refused, outcomes, asked: asked.length }));
`,
  );
  await compileConsumer('verify.ts');
  const w = await startWorld();
  try {
    const [, authority, , imap, , pop, , smtp] = w.args;
    const r = await run(
      process.execPath,
      ['out/verify.js', join(root, 'runbooks/contoso-hr.yaml'), authority!, imap!, pop!, smtp!],
      { cwd: app, env: { NODE_EXTRA_CA_CERTS: w.env.NODE_EXTRA_CA_CERTS!, SECRET: canarySecret } },
    );
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stdout + r.stderr, canarySecret, 'the secret is nowhere in the reports');
    assert.not.match(r.stdout + r.stderr, 'Wr0ng~S3cr3t', 'nor a wrong one');
    const out = JSON.parse(r.stdout) as {
      good: VerifyReport;
      wrong: VerifyReport;
      seen: string[];
      refused: string[];
      outcomes: string[];
      asked: number;
    };
    assert.is(out.good.result, 'pass', JSON.stringify(out.good.checks, null, 1));
    assert.is(out.good.environment, 'production');
    assert.ok(out.good.checks.filter((c) => c.login).length >= 3, 'an IMAP, a POP and an SMTP login were checked');
    assert.equal(
      out.seen,
      out.good.checks.map((c) => c.id),
      'onCheck saw every check, in order',
    );
    assert.is(out.wrong.result, 'fail');
    const token = out.wrong.checks.find((c) => c.diagnosis?.id === 'aadsts-7000215');
    assert.ok(token, 'the wrong secret is diagnosed as AADSTS7000215');
    assert.match(token!.diagnosis!.steps[0]!.link, /^runbooks\/contoso-hr\/production\/runbook\.md#/);
    assert.not.ok(
      out.wrong.checks.some((c) => c.login),
      'tokenOnly: no login',
    );
    assert.equal(out.refused, ['secret-is-id', 'bad-option', 'bad-option', 'unknown-environment']);
    assert.equal(out.outcomes, [
      'bad-secret', // too short to be a secret Value, and to be told apart from the report's own words
      'no-secret', // the function's error (holding the secret) is not passed on
      'bad-option', // unknown option "timeout"
      'bad-option', // servers.Imap: not a protocol
      'bad-option', // a string for a number
      'bad-option', // http authority: refused before the secret is asked for
      'tls-unverified', // process.env counts whatever env says
      'caller-error:caller broke', // onCheck's rejection handed back as thrown
    ]);
    assert.is(out.asked, 1, 'the secret function is called only once every other option is good');
  } finally {
    await w.close();
  }
});

test('verifyEnvironment never repeats a value put in the wrong option, and refuses a plan that is not one, typed', async () => {
  // Plain JavaScript, as a caller without types would write it; every refusal comes before any request.
  writeFileSync(
    join(app, 'misplaced.mjs'),
    `import { loadManifest, buildPlan, verifyEnvironment, UsageError } from 'mail-oauth-runbook';
const [manifestPath] = process.argv.slice(2);
const secret = process.env.SECRET;
const plan = buildPlan((await loadManifest(manifestPath)).manifest, 'contoso-hr.yaml');
const calls = {
  sendTestTo: [plan, 'production', { secret, sendTestTo: secret }],
  'servers.imap': [plan, 'production', { secret, servers: { imap: secret } }],
  'servers.smtp': [plan, 'production', { secret, servers: { smtp: secret + ':25x' } }],
  authorityHost: [plan, 'production', { secret, authorityHost: secret }],
  'authorityHost (a scheme)': [plan, 'production', { secret, authorityHost: secret.replace(/[^A-Za-z]/g, '') + '://x' }],
  proxy: [plan, 'production', { secret, proxy: secret }],
  flavor: [plan, 'production', { secret, flavor: secret }],
  environment: [plan, secret, { secret }],
  'unknown option': [plan, 'production', { secret, [secret]: 1 }],
  'servers key': [plan, 'production', { secret, servers: { [secret]: 'x:1' } }],
  'null plan': [null, 'production', { secret }],
  'undefined plan': [undefined, 'production', { secret }],
  'a manifest, not a plan': [(await loadManifest(manifestPath)).manifest, 'production', { secret }],
};
const out = {};
for (const [name, args] of Object.entries(calls)) {
  try {
    await verifyEnvironment(...args);
    out[name] = 'resolved';
  } catch (e) {
    out[name] = { usage: e instanceof UsageError, type: e.constructor.name, code: e.code, message: e.message, fix: e.fix };
  }
}
console.log(JSON.stringify(out));
`,
  );
  const r = await run(process.execPath, ['misplaced.mjs', join(root, 'runbooks/contoso-hr.yaml')], {
    cwd: app,
    env: { SECRET: canarySecret },
  });
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, { usage: boolean; code: string; message: string; fix: string }>;
  const codes: Record<string, string> = {
    sendTestTo: 'bad-option',
    'servers.imap': 'bad-option',
    'servers.smtp': 'bad-option',
    authorityHost: 'bad-option',
    'authorityHost (a scheme)': 'bad-option',
    proxy: 'bad-option',
    flavor: 'unknown-flavor',
    environment: 'unknown-environment',
    'unknown option': 'bad-option',
    'servers key': 'bad-option',
    'null plan': 'bad-plan',
    'undefined plan': 'bad-plan',
    'a manifest, not a plan': 'bad-plan',
  };
  for (const [name, code] of Object.entries(codes)) {
    const e = out[name]!;
    assert.ok(e.usage, `${name}: a UsageError, not ${JSON.stringify(e)}`);
    assert.is(e.code, code, name);
    // Nothing of the secret: not whole, not its letters (a URL scheme), not a run of it.
    const said = `${e.message}\n${e.fix}`;
    for (let i = 0; i + 8 <= canarySecret.length; i++)
      assert.not.ok(said.includes(canarySecret.slice(i, i + 8)), `${name} repeats the secret: ${said}`);
    assert.not.ok(said.toLowerCase().includes(canarySecret.replace(/[^A-Za-z]/g, '').toLowerCase()), name);
  }
  assert.match(out['servers.imap']!.message, /^servers\.imap is not host:port$/);
  assert.match(out.sendTestTo!.message, /^sendTestTo is not an e-mail address$/);
  assert.match(out.environment!.message, /no environment of that name \(it has: test, production\)/);
  assert.match(out['null plan']!.fix, /buildPlan/);
});

test('the library refuses a wrong argument with its own UsageError, naming the argument, never showing the value', async () => {
  const canary = 'Zq8~fake.Value-not-a-real-secret_123';
  writeFileSync(
    join(app, 'refuse.ts'),
    `import { loadManifest, checkManifest, buildPlan, renderDocuments, UsageError, type Plan } from 'mail-oauth-runbook';
const canary = ${JSON.stringify(canary)};
const loaded = await loadManifest(${JSON.stringify(join(root, 'runbooks/contoso-hr.yaml'))}, { today: '2026-11-28' });
const plan: Plan = buildPlan(loaded.manifest!, 'contoso-hr.yaml');
const attempts: [string, () => unknown][] = [
  ['buildPlan(null)', () => buildPlan(null as never)],
  ['buildPlan({})', () => buildPlan({} as never)],
  ['buildPlan(unchecked)', () => buildPlan({ version: 1, tenant: { id: canary }, bizagi: {}, environments: { test: {} } } as never)],
  ['buildPlan(option)', () => buildPlan(loaded.manifest!, 'x.yaml', { [canary]: 1 } as never)],
  ['loadManifest({})', () => loadManifest({} as never)],
  ['loadManifest(today)', () => loadManifest('x.yaml', { today: canary })],
  ['checkManifest(null)', () => checkManifest(null as never)],
  ['renderDocuments(null)', () => renderDocuments(null as never)],
  ['renderDocuments(env)', () => renderDocuments(plan, { environments: [canary] })],
  ['renderDocuments(flavor)', () => renderDocuments(plan, { flavor: canary as never })],
  ['renderDocuments(option)', () => renderDocuments(plan, { [canary]: true } as never)],
];
const out: Record<string, string> = {};
for (const [name, call] of attempts) {
  try {
    await call();
    out[name] = 'accepted';
  } catch (e) {
    out[name] = e instanceof UsageError ? e.code + ': ' + e.message + ' | ' + (e.fix ?? '') : 'raw ' + String(e);
  }
}
const azure = await renderDocuments(plan, { environments: ['test'], flavor: 'azure-devops' });
out.flavor = azure.get('test/runbook.md')!.includes('[[_TOC_]]') ? 'azure-devops' : 'not applied';
console.log(JSON.stringify(out));
`,
  );
  await compileConsumer('refuse.ts');
  const r = await run(process.execPath, ['out/refuse.js'], { cwd: app });
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(r.stdout.includes(canary), `a value was echoed: ${r.stdout}`);
  const out = JSON.parse(r.stdout) as Record<string, string>;
  const code = (name: string) => out[name]!.split(':')[0];
  for (const name of ['buildPlan(null)', 'loadManifest({})', 'checkManifest(null)']) {
    assert.match(out[name]!, /^bad-argument: /, `${name}: ${out[name]}`);
  }
  for (const name of ['buildPlan({})', 'buildPlan(unchecked)']) assert.is(code(name), 'invalid-manifest', out[name]);
  assert.match(
    out['buildPlan(null)']!,
    /buildPlan: the manifest must be the manifest checkManifest or loadManifest returned, not null/,
  );
  assert.match(
    out['loadManifest({})']!,
    /loadManifest: the path must be a manifest file's path \(a string\), not an object/,
  );
  assert.match(
    out['loadManifest(today)']!,
    /^bad-argument: loadManifest: options\.today must be a date, YYYY-MM-DD, not a string/,
  );
  assert.match(
    out['renderDocuments(null)']!,
    /^bad-argument: renderDocuments: the plan must be the plan buildPlan returned/,
  );
  assert.match(
    out['renderDocuments(env)']!,
    /options\.environments must be a list of the plan's environments \(test, production\)/,
  );
  assert.match(out['renderDocuments(flavor)']!, /options\.flavor must be one of github, azure-devops, portable/);
  for (const name of ['buildPlan(option)', 'renderDocuments(option)'])
    assert.match(
      out[name]!,
      /^unknown-option: \w+: an option it does not know \(its name is not shown\); the options are: /,
      name,
    );
  assert.is(out.flavor, 'azure-devops', 'the flavor option is applied');
});

test.run();
