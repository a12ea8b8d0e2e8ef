// Installing from git, the two ways the README gives: as a dependency of a docs repository (npm clones it and builds
// it with `prepare`), and globally through `npm pack` (a direct `npm install -g git+…` breaks on npm 11: npm/cli#8440).
// The repository is today's working tree committed into a temporary git repository, so the test builds the current
// sources; npm fetches the build tools from its cache (`npm ci` filled it) or the registry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runProgram, tempDir } from './helpers/cli.ts';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const t = tempDir();
const repo = join(t.path, 'repo');
const url = `git+file://${repo}`;
// Nothing of the outer `npm test` (its npm_* variables) may reach the installs: they must run as a user's would.
const env = { NO_COLOR: '1' };

const run = (file: string, args: string[], cwd: string) => runProgram(file, args, { cwd, env });

const npmArgs = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/** The installed command works from a folder of its own: init, validate and generate a manifest. */
async function assertWorks(bin: string, folder: string): Promise<void> {
  mkdirSync(folder);
  let r = await run(bin, ['--version'], folder);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  r = await run(
    bin,
    ['init', 'team.yaml', '--company', 'contoso', '--project', 'hr', '--mailbox', 'test:hr-test@contoso.com'],
    folder,
  );
  assert.is(r.code, 0, r.stderr);
  r = await run(bin, ['validate', 'team.yaml'], folder);
  assert.is(r.code, 0, r.stderr);
  r = await run(bin, ['generate', 'team.yaml'], folder);
  assert.is(r.code, 0, r.stderr);
  assert.ok(existsSync(join(folder, 'team', 'README.md')), 'generate wrote the documents');
}

test.before(() => {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f && existsSync(join(root, f)));
  for (const f of files) cpSync(join(root, f), join(repo, f), { recursive: true, verbatimSymlinks: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: repo,
      stdio: 'ignore',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the working tree');
});
test.after(() => t.done());

test('npm install git+… in a docs repository builds the tool and links a working command', async () => {
  const project = join(t.path, 'docs-repo');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'docs-repo', private: true }));
  const r = await run(npm, ['install', '--save-dev', url, ...npmArgs], project);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.ok(existsSync(join(project, 'node_modules/mail-oauth-runbook/dist/cli.js')), 'the clone was built');
  assert.not.ok(existsSync(join(project, 'node_modules/mail-oauth-runbook/src')), 'only what the package ships');
  await assertWorks(join(project, 'node_modules/.bin/mail-oauth-runbook'), join(project, 'work'));
});

test('npm pack git+… then npm install -g of the tarball gives a working global command', async () => {
  const packs = join(t.path, 'packs');
  mkdirSync(packs);
  let r = await run(npm, ['pack', url, '--loglevel=error'], packs);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const tarball = readdirSync(packs).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack made a tarball');
  const prefix = join(t.path, 'global');
  r = await run(npm, ['install', '-g', '--prefix', prefix, join(packs, tarball!), ...npmArgs], packs);
  assert.is(r.code, 0, r.stdout + r.stderr);
  await assertWorks(join(prefix, 'bin', 'mail-oauth-runbook'), join(t.path, 'elsewhere'));
});

test.run();
