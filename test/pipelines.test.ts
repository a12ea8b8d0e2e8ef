// The shipped pipelines as a user's docs repository runs them: the GitHub Action's steps (action.yml) and the Azure
// Pipelines template's script steps (ci/azure-pipelines.yml), read from the files, their inputs substituted as the
// runner does, each script run by bash in a repository that pins the tool as the README's Install says (the packed
// tarball committed under vendor/, installed by `npm ci`, offline from npm's cache: no network).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { root, tempDir } from './helpers/cli.ts';

interface Step {
  name?: string;
  displayName?: string;
  run?: string;
  script?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
  workingDirectory?: string;
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  bin: Record<string, string>;
  engines: object;
  dependencies: Record<string, string>;
};
const t = tempDir();
const repo = join(t.path, 'docs');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: Step[] };
};
const azure = parse(readFileSync(join(root, 'ci/azure-pipelines.yml'), 'utf8')) as {
  parameters: { name: string; default: string }[];
  steps: Step[];
};

test.before(() => {
  mkdirSync(join(repo, 'vendor'), { recursive: true });
  mkdirSync(join(repo, 'runbooks'));
  // --ignore-scripts: dist/ is already built by the test run; prepare would rebuild it under the other suites' feet.
  const packed = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', join(repo, 'vendor')],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  const tarball = `file:vendor/${(JSON.parse(packed) as { filename: string }[])[0]!.filename}`;
  // The lock file npm would write: the tarball plus our own locked runtime dependencies (in npm's cache already).
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; link?: boolean }>;
  };
  const packages: Record<string, unknown> = {
    '': { name: 'docs', devDependencies: { 'mail-oauth-runbook': tarball } },
    'node_modules/mail-oauth-runbook': {
      version: pkg.version,
      resolved: tarball,
      dev: true,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages))
    if (path && !entry.dev && !entry.link) packages[path] = { ...entry, dev: true };
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({ name: 'docs', private: true, devDependencies: { 'mail-oauth-runbook': tarball } }),
  );
  writeFileSync(
    join(repo, 'package-lock.json'),
    JSON.stringify({ name: 'docs', lockfileVersion: 3, requires: true, packages }),
  );
  copyFileSync(join(root, 'runbooks/contoso-hr.yaml'), join(repo, 'runbooks/hr.yaml'));
  execFileSync('git', ['init', '-q'], { cwd: repo });
});
test.after(() => t.done());

/** Runs steps as the runner does: `${{ inputs.x }}` / `${{ parameters.x }}` replaced, each script by bash. */
function runSteps(steps: Step[], values: Record<string, string>, expression: 'inputs' | 'parameters') {
  const sub = (s: string) =>
    s
      .replace(new RegExp(`\\$\\{\\{ ${expression}\\.([\\w-]+) \\}\\}`, 'g'), (_, k: string) => {
        assert.ok(k in values, `${k} is an input`);
        return values[k]!;
      })
      .replace('$(Build.SourcesDirectory)', repo);
  const results = [];
  for (const step of steps) {
    const script = step.run ?? step.script;
    assert.ok(script, `${step.name ?? step.displayName} is a script step`);
    const cwd = join(repo, sub(step['working-directory'] ?? step.workingDirectory ?? '.').replace(repo, '.'));
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, sub(v)]));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script!], {
      cwd,
      encoding: 'utf8',
      // The runner's environment: PATH and HOME; npm offline, from the cache this machine filled (no network).
      env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_offline: 'true', NO_COLOR: '1', ...env },
    });
    results.push({ name: step.name ?? step.displayName!, code: r.status, out: r.stdout + r.stderr });
    if (r.status !== 0) break; // a failed step ends the job
  }
  return results;
}

const actionInputs = (given: Record<string, string>) =>
  Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default]));
const azureParameters = (given: Record<string, string>) =>
  Object.fromEntries(azure.parameters.map((p) => [p.name, given[p.name] ?? p.default]));
const tool = (args: string[]) =>
  spawnSync(join(repo, 'node_modules/.bin/mail-oauth-runbook'), args, { cwd: repo, encoding: 'utf8' });

test('the GitHub Action: installs the pinned version, validates, checks the documents, and status at fail-days', () => {
  assert.is(action.runs.using, 'composite');
  const inputs = actionInputs({ manifests: 'runbooks/*.yaml', flags: '--html' });
  // The first run installs the tool from vendor/; the documents are then generated with it and "committed".
  let r = runSteps(action.runs.steps.slice(0, 1), inputs, 'inputs');
  assert.is(r[0]!.code, 0, r[0]!.out);
  assert.match(r[0]!.out, new RegExp(`^${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
  assert.is(tool(['generate', 'runbooks/hr.yaml', '--html']).status, 0);

  r = runSteps(action.runs.steps, { ...inputs, 'fail-days': '14' }, 'inputs');
  assert.equal(
    r.map((s) => [s.name, s.code]),
    action.runs.steps.map((s) => [s.name, 0]),
    r.map((s) => s.out).join('\n'),
  );
  assert.match(r[2]!.out, /runbooks\/hr: \d+ files up to date/);
  assert.match(r[3]!.out, /2 environments: /);

  // A hand edit of a document fails the check, with the command (and its --html) that fixes it.
  const runbook = join(repo, 'runbooks/hr/test/runbook.md');
  const original = readFileSync(runbook, 'utf8');
  writeFileSync(runbook, `${original}edited\n`);
  const installed = { ...inputs, install: '' }; // installed above: the steps after the install are what is tested
  r = runSteps(action.runs.steps, installed, 'inputs');
  assert.is(r.at(-1)!.code, 1);
  assert.match(r.at(-1)!.out, /run mail-oauth-runbook generate runbooks\/hr\.yaml --html$/m);
  writeFileSync(runbook, original);

  // A mistake in a manifest is a workflow annotation on its line, and the job stops there.
  const manifest = join(repo, 'runbooks/hr.yaml');
  const text = readFileSync(manifest, 'utf8');
  writeFileSync(manifest, text.replace('protocols: [imap, smtp]', 'protocols: [imap, smtpp]'));
  r = runSteps(action.runs.steps, installed, 'inputs');
  assert.equal(
    r.map((s) => s.code),
    [0, 2],
  );
  assert.match(r[1]!.out, /^::error file=runbooks\/hr\.yaml,line=\d+,col=\d+,.*smtpp/m);
  writeFileSync(manifest, text);
});

test('the Azure Pipelines template: the same checks with the azure-devops flavour, status at failDays', () => {
  const parameters = azureParameters({ install: '' });
  assert.is(parameters.flavor, 'azure-devops');
  assert.is(tool(['generate', 'runbooks/hr.yaml', '--flavor', 'azure-devops']).status, 0);
  let r = runSteps(azure.steps, parameters, 'parameters');
  assert.equal(
    r.map((s) => s.code),
    [0, 0, 0, 0],
    r.map((s) => s.out).join('\n'),
  );
  assert.match(r[3]!.out, /status skipped/);
  // Every secret within 10 years fails the scheduled run, naming the runbook section to follow.
  r = runSteps(azure.steps, { ...parameters, failDays: '3650' }, 'parameters');
  assert.is(r.at(-1)!.code, 1);
  assert.match(
    r.at(-1)!.out,
    /the client secret of "test" expires on \d{4}-\d\d-\d\d: rotate it \(runbooks\/hr\/test\/runbook\.md#/,
  );
});

test.run();
