import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cliPath, root, type Result } from './helpers/cli.ts';
import { canarySecret, startWorld, verifier, type World } from './helpers/world.ts';

// verify as a stage: several environments in one run, progress while it runs, and proof of sending (--send-test-to).

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const withSendAs = example.replace(
  '      - address: hr-test@contoso.com\n        protocols: [imap, smtp]\n',
  '      - address: hr-test@contoso.com\n        protocols: [imap, smtp]\n        sendAs: [noreply-test@contoso.com]\n',
);
const outputs: string[] = [];

const verify = verifier(outputs);

const V = suite('verify-stage');
let w: World;
V.before.each(async () => {
  w = await startWorld();
});
V.after.each(async () => {
  await w.close();
});

V('--all verifies every environment in manifest order: one token each, one summary, one exit code', async () => {
  let r = await verify(w, ['--all']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(r.stderr, '', 'no status line in a pipe');
  assert.match(
    r.stdout,
    /^verify test: [\s\S]*PASSED: 9 passed[\s\S]*\n\nverify production: [\s\S]*PASSED: 10 passed[^\n]*\n\nPASSED: all 2 environments passed\n$/,
  );
  assert.is(w.entra.requests.length, 2);
  assert.equal(w.smtp.accepted, [], 'nothing is sent without --send-test-to');

  w.mail.misbehave = { 'pop:hr-archive@contoso.com': 'auth-fail' };
  r = await verify(w, ['--env', 'production', '--env', 'test']);
  assert.is(r.code, 1, 'one failing environment fails the run');
  assert.ok(r.stdout.indexOf('verify test:') < r.stdout.indexOf('verify production:'), "the manifest's order");
  assert.match(r.stdout, /FAIL {2}POP hr-archive@contoso\.com/);
  assert.match(r.stdout, /\nFAILED: 1 of 2 environments failed \(production\)\n$/);
});

V(
  '--all with --json: one document with a report per environment; with --report: one record, a section each',
  async () => {
    w.mail.misbehave = { 'imap:hr-test@contoso.com': 'not-connected' };
    const report = join(w.dir, 'record.md');
    const r = await verify(w, ['--all', '--json', '--report', report]);
    assert.is(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout) as {
      result: string;
      environments: { environment: string; result: string; checks: { id: string }[] }[];
    };
    assert.is(json.result, 'fail');
    assert.equal(
      json.environments.map((e) => [e.environment, e.result]),
      [
        ['test', 'fail'],
        ['production', 'pass'],
      ],
    );
    const md = readFileSync(report, 'utf8');
    outputs.push(md);
    assert.match(md, /^# Verification record\n/);
    assert.match(md, /\| Result \| \*\*FAILED\*\* \|/);
    assert.match(
      md,
      /## Environments\n\n\| Environment \| Result \|\n\| --- \| --- \|\n\| `test` \| FAILED \|\n\| `production` \| PASSED \|/,
    );
    assert.match(
      md,
      /\n## test\n[\s\S]*\| FAIL \| IMAP `hr-test@contoso\.com` \| `User is authenticated but not connected\.` \| Step 7: Grant the app access to each mailbox \|[\s\S]*\n## production\n/,
    );
    assert.match(
      md,
      /### Logins\n\n\| Mailbox \| IMAP \| POP \| SMTP \|\n\| --- \| --- \| --- \| --- \|\n\| `hr@contoso\.com` \| PASS \| — \| PASS \|/,
    );
    assert.not.match(md, /[^`]hr-archive@contoso\.com[^`]/, 'addresses only in code spans');
  },
);

V('choosing environments: --all and --env exclude each other, one is needed, --secret-stdin serves one', async () => {
  let r = await verify(w, ['--all', '--env', 'test']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--all and --env cannot be used together/);
  r = await verify(w, []);
  assert.is(r.code, 2);
  assert.match(r.stderr, /verify needs --env or --all \(the manifest has: test, production\)/);
  r = await verify(w, ['--all', '--secret-stdin'], { input: `${canarySecret}\n` });
  assert.is(r.code, 2);
  assert.match(r.stderr, /--secret-stdin reads one secret, but test, production each need their own/);
  r = await verify(w, ['--all'], { env: { HR_MAIL_SECRET: undefined } });
  assert.is(r.code, 2, 'every secret is read before the first request');
  assert.match(r.stderr, /HR_MAIL_SECRET/);
  assert.is(w.entra.requests.length, 0);
});

V(
  '--send-test-to sends one labelled message per SMTP mailbox and sendAs address; SendAsDenied names the SendAs step',
  async () => {
    let r = await verify(w, ['--env', 'test', '--send-test-to', 'it-support@contoso.com'], { manifest: withSendAs });
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /PASS {2}Send as hr-test@contoso\.com +accepted for it-support@contoso\.com: 250 2\.0\.0 OK/,
    );
    assert.match(
      r.stdout,
      /FAIL {2}Send as noreply-test@contoso\.com \(via hr-test@contoso\.com\) +554 5\.2\.252 SendAsDenied; hr-test@contoso\.com not allowed to send as noreply-test@contoso\.com/,
    );
    assert.match(
      r.stdout,
      /cause: The From address differs from the mailbox and the app has no SendAs permission on it\.\n(?: {8}.*\n)*? {8}redo: Step 7: Grant the app access to each mailbox \(/,
    );
    assert.is(w.smtp.accepted.length, 1);
    const sent = w.smtp.accepted[0]!;
    assert.equal(
      [sent.user, sent.from, sent.to],
      ['hr-test@contoso.com', 'hr-test@contoso.com', ['it-support@contoso.com']],
    );
    assert.match(sent.message, /^Subject: \[mail-oauth-runbook test\] test: sent as hr-test@contoso\.com\r$/m);
    assert.match(sent.message, /^Auto-Submitted: auto-generated\r$/m);
    assert.match(
      sent.message,
      /\r\n\r\nThis is a test message from mail-oauth-runbook verify --send-test-to\.\r\nNo action is needed\.\r\n/,
      sent.message,
    );
    assert.match(sent.message, /\r\nmay send as hr-test@contoso\.com\r\nthrough the mailbox hr-test@contoso\.com\r\n/);

    w.mail.sendAs = { 'hr-test@contoso.com': ['noreply-test@contoso.com'] };
    r = await verify(w, ['--env', 'test', '--send-test-to', 'it-support@contoso.com', '--json'], {
      manifest: withSendAs,
    });
    assert.is(r.code, 0, r.stdout + r.stderr);
    const json = JSON.parse(r.stdout) as { checks: { id: string; status: string; send?: { from: string } }[] };
    assert.equal(
      json.checks.filter((c) => c.send).map((c) => [c.send!.from, c.status]),
      [
        ['hr-test@contoso.com', 'pass'],
        ['noreply-test@contoso.com', 'pass'],
      ],
    );
    assert.equal(
      w.smtp.accepted.map((m) => m.from).sort(), // sends run concurrently: their order is not fixed
      ['hr-test@contoso.com', 'hr-test@contoso.com', 'noreply-test@contoso.com'],
    );

    // Exchange may refuse at MAIL FROM instead: 550 5.7.60, the same step.
    w.mail.sendAs = {};
    w.mail.sendAsRefusal = 'mail-from';
    const report = join(w.dir, 'sends.md');
    r = await verify(w, ['--env', 'test', '--send-test-to', 'it-support@contoso.com', '--report', report], {
      manifest: withSendAs,
    });
    assert.is(r.code, 1);
    assert.match(
      r.stdout,
      /FAIL {2}Send as noreply-test@contoso\.com \(via hr-test@contoso\.com\) +550 5\.7\.60 SMTP; Client does not have permissions to send as this sender[\s\S]*?redo: Step 7: Grant the app access to each mailbox/,
    );
    const md = readFileSync(report, 'utf8');
    outputs.push(md);
    assert.match(
      md,
      /## Test messages\n\n\| Sent as \| Through \| To \| Result \|\n\| --- \| --- \| --- \| --- \|\n\| `hr-test@contoso\.com` \| `hr-test@contoso\.com` \| `it-support@contoso\.com` \| PASS \|\n\| `noreply-test@contoso\.com` \| `hr-test@contoso\.com` \| `it-support@contoso\.com` \| FAIL \|/,
    );
  },
);

V('--send-test-to takes one plain address; --token-only sends nothing', async () => {
  for (const bad of ['not-an-address', 'a@b.com\r\nRCPT TO:<x@evil.com>', 'a@b.com,c@d.com']) {
    const r = await verify(w, ['--env', 'test', '--send-test-to', bad]);
    assert.is(r.code, 2, bad);
    assert.match(r.stderr, /--send-test-to "[^"\r\n]*" is not an e-mail address/);
  }
  assert.is(w.entra.requests.length, 0);
  const r = await verify(w, ['--env', 'test', '--token-only', '--send-test-to', 'it-support@contoso.com']);
  assert.is(r.code, 0);
  assert.equal(w.smtp.accepted, []);
});

V('in a pipe, each check is printed as soon as it is known, before the slow logins end', async () => {
  w.mail.loginDelayMs = 1500;
  const started = Date.now();
  const seen: Record<string, number> = {};
  const code = await new Promise<number | null>((resolve) => {
    const env = { ...process.env, ...w.env, NO_COLOR: '1', HTTPS_PROXY: '', https_proxy: '' };
    const child = spawn(
      process.execPath,
      [cliPath, 'verify', 'runbooks/contoso-hr.yaml', '--env', 'test', '--concurrency', '1', ...w.args],
      { cwd: root, env },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      for (const key of ['Token roles', 'IMAP hr-test', 'SMTP hr-test'])
        if (out.includes(key)) seen[key] ??= Date.now() - started;
    });
    child.on('close', (c) => {
      outputs.push(out);
      resolve(c);
    });
  });
  assert.is(code, 0);
  assert.ok(
    seen['SMTP hr-test']! - seen['Token roles']! >= 2500,
    `token checks came ${seen['SMTP hr-test']! - seen['Token roles']!} ms before the last login`,
  );
  assert.ok(
    seen['SMTP hr-test']! - seen['IMAP hr-test']! >= 1200,
    'the first login was printed before the second ended',
  );
});

/** Runs verify on a pseudo-terminal (util-linux script), so stdout and stderr are a terminal; returns all it showed. */
function onTerminal(args: string[], env: Record<string, string | undefined>): Promise<Result> {
  const command = ['node', cliPath, 'verify', join(root, 'runbooks/contoso-hr.yaml'), ...args, ...w.args]
    .map((a) => `'${a}'`)
    .join(' ');
  return new Promise((resolve) => {
    const merged: Record<string, string | undefined> = {
      ...process.env,
      ...w.env,
      HTTPS_PROXY: '',
      https_proxy: '',
      ...env,
    };
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
    const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { env: merged as NodeJS.ProcessEnv });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => {
      outputs.push(stdout);
      resolve({ code, stdout, stderr: '' });
    });
  });
}

V(
  'on a terminal, a status line shows what is in progress and is cleared at the end; NO_COLOR and TERM=dumb get plain lines',
  async () => {
    if (!existsSync('/usr/bin/script')) return;
    w.mail.loginDelayMs = 300;
    let r = await onTerminal(['--all', '--concurrency', '1'], {
      NO_COLOR: undefined,
      FORCE_COLOR: undefined,
      TERM: 'xterm-256color',
    });
    assert.is(r.code, 0, r.stdout);
    assert.match(r.stdout, /\r\x1b\[K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] token from 127\.0\.0\.1:\d+/);
    for (const n of ['0/2', '1/2', '2/2', '0/3', '3/3']) assert.ok(r.stdout.includes(` logins ${n}`), `logins ${n}`);
    assert.match(r.stdout, /\x1b\[32mPASS\x1b\[0m {2}IMAP hr-test@contoso\.com/, 'colour on a terminal');
    // Every check line starts on a clean line: the status line is erased before it, and nothing is left at the end.
    const plain = r.stdout.replace(/\r\x1b\[K(?:[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏][^\r]*)?/g, '');
    assert.match(
      plain,
      /verify test: [\s\S]*\n {2}\x1b\[32mPASS\x1b\[0m {2}SMTP hr-test@contoso\.com[^\n]*\r?\n\x1b\[32;1mPASSED\x1b\[0m: 9 passed/,
      JSON.stringify(plain),
    );
    assert.match(
      plain,
      /\r\n\r\n\x1b\[32;1mPASSED\x1b\[0m: all 2 environments passed\r\n$/,
      'the status line is gone at the end',
    );
    assert.ok(r.stdout.endsWith('passed\r\n'), 'nothing drawn after the last line');

    for (const env of [
      { NO_COLOR: '1', TERM: 'xterm-256color' },
      { NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'dumb' },
    ]) {
      r = await onTerminal(['--env', 'test'], env);
      assert.is(r.code, 0, r.stdout);
      assert.not.match(r.stdout, /\x1b|\r(?!\n)/, `no escape sequences and no status line with ${JSON.stringify(env)}`);
      assert.match(r.stdout, /PASS {2}IMAP hr-test@contoso\.com/);
    }
    r = await onTerminal(['--env', 'test', '--json'], {
      NO_COLOR: undefined,
      FORCE_COLOR: undefined,
      TERM: 'xterm-256color',
    });
    assert.is(r.code, 0);
    assert.not.match(r.stdout, /\x1b|\r(?!\n)/, 'no status line with --json');
    assert.is(JSON.parse(r.stdout).result, 'pass');
  },
);

V.after(() => {
  assert.ok(outputs.length > 10);
  for (const out of outputs) {
    assert.not.ok(out.includes(canarySecret), 'secret leaked');
    assert.not.ok(out.includes('dXNlcj'), 'a SASL XOAUTH2 payload leaked');
  }
});

V.run();
