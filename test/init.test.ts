import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'yaml';
import { cliPath, runCli, tempDir } from './helpers/cli.ts';
import { run } from '../src/cli/program.ts';

// init asks on a terminal and takes flags otherwise; what neither gives is a placeholder validate reports.

interface Starter {
  tenant: { id: string };
  bizagi: { company: string; project: string; hosting: string };
  environments: Record<
    string,
    { workPortalUrl?: string; app: { secret: { env: string } }; mailboxes: { address: string; protocols: string[] }[] }
  >;
}
const read = (dir: string, file: string) => parse(readFileSync(join(dir, file), 'utf8')) as Starter;

const flags = [
  '--company',
  'acme',
  '--project',
  'purchasing',
  '--env',
  'test',
  '--env',
  'production',
  '--mailbox',
  'test:purchasing-test@acme.com:imap,smtp',
  '--mailbox',
  'production:purchasing@acme.com:imap,pop,smtp',
  '--mailbox',
  'production:invoices@acme.com',
];

test('init with flags writes the manifest they describe, which validates with no placeholder left', async () => {
  const t = tempDir();
  try {
    let r = await runCli(['init', 'purchasing.yaml', ...flags, '--tenant', '72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b'], {
      cwd: t.path,
    });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote purchasing\.yaml: check it with\n  mail-oauth-runbook validate purchasing\.yaml/);
    const m = read(t.path, 'purchasing.yaml');
    assert.equal(m.bizagi, { company: 'acme', project: 'purchasing', hosting: 'cloud' });
    assert.is(m.tenant.id, '72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b');
    assert.equal(Object.keys(m.environments), ['test', 'production']);
    assert.is(m.environments.test!.app.secret.env, 'PURCHASING_TEST_MAIL_SECRET');
    assert.equal(m.environments.production!.mailboxes, [
      { address: 'purchasing@acme.com', protocols: ['imap', 'pop', 'smtp'] },
      { address: 'invoices@acme.com', protocols: ['imap', 'smtp'] },
    ]);
    r = await runCli(['validate', 'purchasing.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /purchasing\.yaml: valid \(2 environments, 3 mailboxes; 0 errors, 0 warnings\)/);
    r = await runCli(['generate', 'purchasing.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(readFileSync(join(t.path, 'purchasing/test/runbook.md'), 'utf8'), /test-purchasing-acme\.bizagi\.com/);
  } finally {
    t.done();
  }
});

test('init on-premises leaves a Work Portal URL placeholder per environment, which validate names', async () => {
  const t = tempDir();
  try {
    let r = await runCli(
      [
        'init',
        'm.yaml',
        '--company',
        'acme',
        '--project',
        'hr',
        '--hosting',
        'on-premises',
        '--mailbox',
        'test:hr@acme.com',
      ],
      {
        cwd: t.path,
      },
    );
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /replace its 1 placeholder \(<…>\) and fill in the tenant ID/);
    r = await runCli(['validate', 'm.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(
      r.stderr,
      /error \[placeholder\] environments\.test\.workPortalUrl is still the placeholder <Work Portal URL>/,
    );
    assert.match(r.stderr, /fix: write the environment's Work Portal URL/);
    assert.not.match(r.stderr, /on-premises-without-url|requires workPortalUrl/i);
  } finally {
    t.done();
  }
});

test('init refuses a malformed --mailbox or --hosting before writing anything; values a YAML reader would misread are quoted', async () => {
  const t = tempDir();
  try {
    let r = await runCli(['init', 'm.yaml', '--mailbox', 'hr@acme.com'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(
      r.stderr,
      /error \[bad-option\]: --mailbox "hr@acme\.com" is not <environment>:<address>\[:<protocols>\]/,
    );
    assert.match(r.stderr, /fix: e\.g\. --mailbox test:hr-test@contoso\.com:imap,smtp/);
    r = await runCli(['init', 'm.yaml', '--hosting', 'azure'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /Allowed choices are cloud, on-premises/);
    assert.not.ok(existsSync(join(t.path, 'm.yaml')));
    r = await runCli(['init', '-', '--company', 'acme\nenvironments: {}', '--project', '# hr'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    const m = parse(r.stdout) as Starter;
    assert.is(m.bizagi.company, 'acme\nenvironments: {}');
    assert.is(m.bizagi.project, '# hr');
    assert.equal(Object.keys(m.environments), ['test', 'production']);
    const v = await runCli(['validate', '-'], { cwd: t.path, input: r.stdout });
    assert.is(v.code, 2);
    assert.match(v.stderr, /bizagi\.company/);
  } finally {
    t.done();
  }
});

test('init from a pipe never asks: the flags alone, placeholders for the rest', async () => {
  const t = tempDir();
  try {
    const r = await runCli(['init', 'm.yaml', '--company', 'acme'], { cwd: t.path, input: 'purchasing\n' });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '');
    const m = read(t.path, 'm.yaml');
    assert.equal([m.bizagi.company, m.bizagi.project], ['acme', '<project>']);
    assert.is(m.environments.test!.app.secret.env, 'TEST_MAIL_SECRET');
  } finally {
    t.done();
  }
});

/** init in this process with a terminal's stdin (isTTY), answering `lines`; the questions come back as stderr. */
async function initAtTerminal(args: string[], lines: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(Readable.from(lines.map((l) => `${l}\n`)), { isTTY: true });
  const code = await run(['init', ...args], {
    cwd,
    env: { NO_COLOR: '1' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin,
    now: () => new Date('2026-12-03T12:00:00Z'),
  });
  return { code, stdout, stderr };
}

test('init on a terminal asks for what the flags did not give, asks again after a wrong answer, Enter takes the default', async () => {
  const t = tempDir();
  try {
    const r = await initAtTerminal(
      ['m.yaml', '--project', 'purchasing'],
      [
        'Acme Corp',
        'acme',
        '',
        'test, production',
        'purchasing-test@acme.com',
        'imap, smtpp',
        'pop',
        'not-an-address',
        'purchasing@acme.com',
        '',
      ],
      t.path,
    );
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stderr, /Bizagi project/, 'given as a flag: not asked');
    assert.match(
      r.stderr,
      /Bizagi company, as in https:\/\/<env>-<project>-<company>\.bizagi\.com: {3}lowercase letters, digits and hyphens, e\.g\. contoso\n/,
    );
    assert.match(r.stderr, /Hosting: cloud or on-premises \[cloud\]: /);
    assert.match(r.stderr, /Environments \(comma-separated\) \[test, production\]: /);
    assert.match(r.stderr, /"smtpp" is not one of imap, pop, smtp/);
    assert.match(r.stderr, /"not-an-address" is not a mail address/);
    const m = read(t.path, 'm.yaml');
    assert.equal(m.bizagi, { company: 'acme', project: 'purchasing', hosting: 'cloud' });
    assert.equal(m.environments.test!.mailboxes, [{ address: 'purchasing-test@acme.com', protocols: ['pop'] }]);
    assert.equal(m.environments.production!.mailboxes, [
      { address: 'purchasing@acme.com', protocols: ['imap', 'smtp'] },
    ]);
    const v = await runCli(['validate', 'm.yaml'], { cwd: t.path });
    assert.is(v.code, 0, v.stderr);
  } finally {
    t.done();
  }
});

test('init on a terminal whose input ends takes the defaults and leaves placeholders; --no-input asks nothing', async () => {
  const t = tempDir();
  try {
    let r = await initAtTerminal(['a.yaml', '--company', 'acme'], ['hr'], t.path);
    assert.is(r.code, 0, r.stderr);
    const a = read(t.path, 'a.yaml');
    assert.equal([a.bizagi.project, Object.keys(a.environments)], ['hr', ['test', 'production']]);
    assert.is(a.environments.test!.mailboxes[0]!.address, '<mailbox address>');
    r = await initAtTerminal(['b.yaml', '--no-input'], ['acme'], t.path);
    assert.is(r.code, 0);
    assert.is(r.stderr, '');
    assert.is(read(t.path, 'b.yaml').bizagi.company, '<company>');
  } finally {
    t.done();
  }
});

test('init through a real pseudo-terminal (util-linux script): the questions, the echo, the manifest', () => {
  if (spawnSync('script', ['--version']).status !== 0) {
    console.log('skipped the pseudo-terminal test: no `script` (util-linux)');
    return;
  }
  const t = tempDir();
  try {
    const command = `'${process.execPath}' '${cliPath}' init m.yaml --env test`;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: t.path,
      input: 'acme\nhr\non-premises\nhr-test@acme.com\nsmtp\n',
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.is(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Bizagi company, as in https:\/\/<env>-<project>-<company>\.bizagi\.com: /);
    assert.match(r.stdout, /Mailboxes of test \(comma-separated addresses\): /);
    assert.not.match(r.stdout, /Environments \(comma-separated\)/, '--env given: not asked');
    const m = read(t.path, 'm.yaml');
    assert.equal(m.bizagi, { company: 'acme', project: 'hr', hosting: 'on-premises' });
    assert.equal(m.environments.test!.mailboxes, [{ address: 'hr-test@acme.com', protocols: ['smtp'] }]);
    assert.is(m.environments.test!.workPortalUrl, '<Work Portal URL>');
  } finally {
    t.done();
  }
});

test.run();
