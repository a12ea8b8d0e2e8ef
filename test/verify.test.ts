import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { cliPath, root, runCli, type Result } from './helpers/cli.ts';
import { canarySecret, startWorld, verifier, type World } from './helpers/world.ts';
import { startFakeProxy } from './helpers/fake-proxy.ts';

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const outputs: string[] = []; // every byte verify printed or wrote in this file, scanned for secrets at the end
const tokens: string[] = [];

const verify = verifier(outputs);

/** The access tokens the fake issued, to scan outputs for them too. */
function collectTokens(w: World) {
  // The fake signs with a fixed key; the token is the only field of a 200 answer. Recreate it from the log is not
  // possible, so the servers record what reached them: the SASL lines hold the token.
  for (const line of [...w.imap.received, ...w.pop.received, ...w.smtp.received]) {
    const b64 = line.split(' ').pop() ?? '';
    const decoded = Buffer.from(b64, 'base64').toString('utf8');
    const m = /auth=Bearer ([^\x01]+)/.exec(decoded) ?? /^(ey[\w-]+\.[\w-]+\.[\w-]+)$/.exec(b64);
    if (m) tokens.push(m[1]!);
  }
}

const V = suite('verify');
let w: World;
V.before.each(async () => {
  w = await startWorld();
});
V.after.each(async () => {
  collectTokens(w);
  await w.close();
});

V('all checks pass for both environments, with exactly one token request each', async () => {
  let r = await verify(w, ['--env', 'test']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PASS {2}IMAP hr-test@contoso\.com/);
  assert.match(r.stdout, /PASS {2}SMTP hr-test@contoso\.com/);
  assert.match(r.stdout, /PASSED: 9 passed, 0 failed/);
  assert.is(w.entra.requests.length, 1);
  assert.equal(w.entra.requests[0]!.form.scope, 'https://outlook.office365.com/.default');
  r = await verify(w, ['--env', 'production']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PASS {2}POP hr-archive@contoso\.com +logged in; STAT: 2 messages/);
  assert.is(w.entra.requests.length, 2);
});

V('--trace shows each conversation without any SASL response, secret or token', async () => {
  const r = await verify(w, ['--env', 'production', '--trace']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /\[IMAP hr@contoso\.com\] S: \* OK The Microsoft Exchange IMAP4 service is ready\./);
  assert.match(r.stderr, /\[IMAP hr@contoso\.com\] C: \d+ AUTHENTICATE XOAUTH2 \[SASL response not shown\]/);
  // Logins run at once, so their lines interleave: read the POP conversation on its own.
  const pop = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('[POP '))
    .join('\n');
  assert.match(
    pop,
    /\[POP hr-archive@contoso\.com\] C: AUTH XOAUTH2\n\[POP hr-archive@contoso\.com\] S: \+ \n\[POP hr-archive@contoso\.com\] C: \[SASL response not shown\]/,
  );
  assert.match(r.stderr, /\[POP hr-archive@contoso\.com\] S: \+OK User successfully authenticated\./);
  assert.match(r.stderr, /\[SMTP hr@contoso\.com\] C: AUTH XOAUTH2 \[SASL response not shown\]/);
  assert.match(r.stderr, /\[SMTP hr@contoso\.com\] S: 235 Authentication successful/);
  assert.not.match(r.stderr, /dXNlcj/, 'no base64 "user=" SASL payload');
});

V('--proxy (or HTTPS_PROXY) tunnels the token request and every login through an HTTP CONNECT proxy', async () => {
  const proxy = await startFakeProxy();
  try {
    let r = await verify(w, ['--env', 'production', '--proxy', proxy.url]);
    assert.is(r.code, 0, r.stdout + r.stderr);
    const ports = new Set(proxy.tunnels.map((t) => Number(t.split(':').pop())));
    for (const port of [w.entra.port, w.imap.port, w.pop.port, w.smtp.port])
      assert.ok(ports.has(port), `tunnel to ${port}`);
    proxy.tunnels.length = 0;
    r = await verify(w, ['--env', 'test', '--token-only'], { env: { HTTPS_PROXY: proxy.url } });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.equal(proxy.tunnels, [`127.0.0.1:${w.entra.port}`]);
    proxy.tunnels.length = 0;
    r = await verify(w, ['--env', 'test', '--token-only'], {
      env: { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' },
    });
    assert.is(r.code, 0);
    assert.equal(proxy.tunnels, [], 'NO_PROXY bypasses the proxy');
  } finally {
    await proxy.close();
  }
  const refusing = await startFakeProxy({ refuse: true });
  try {
    const r = await verify(w, ['--env', 'test', '--token-only', '--proxy', refusing.url]);
    assert.is(r.code, 1);
    assert.match(
      r.stdout,
      /FAIL {2}Token from Microsoft Entra ID +the proxy 127\.0\.0\.1:\d+ refused the tunnel to 127\.0\.0\.1:\d+: HTTP 403/,
    );
  } finally {
    await refusing.close();
  }
  const r = await verify(w, ['--env', 'test', '--proxy', 'socks5://127.0.0.1:1080']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /only http:\/\/ proxies/);
});

V('--json and --report give the same checks, with a login matrix and no secret or token', async () => {
  const report = join(w.dir, 'record.md');
  const r = await verify(w, ['--env', 'production', '--json', '--report', report]);
  assert.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as {
    result: string;
    checks: { id: string; status: string }[];
    claims: Record<string, unknown>;
  };
  assert.is(json.result, 'pass');
  assert.ok(json.checks.some((c) => c.id === 'login-pop-hr-archive@contoso.com' && c.status === 'pass'));
  assert.equal(json.claims.roles, ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp']);
  const md = readFileSync(report, 'utf8');
  outputs.push(md);
  assert.match(md, /^# Verification record: production$/m);
  assert.match(md, /\| Mailbox \| IMAP \| POP \| SMTP \|\n/);
  assert.match(md, /\| `hr@contoso\.com` \| PASS \| — \| PASS \|/);
  assert.match(md, /\| `hr-archive@contoso\.com` \| — \| PASS \| — \|/);
  assert.match(md, /\| Result \| \*\*PASSED\*\* \|/);
  assert.match(md, /\| PASS \| POP `hr-archive@contoso\.com` \| `logged in; STAT: 2 messages` \|/);
});

V('wrong secret: AADSTS7000215, redo create-secret; a GUID secret gets the Secret ID hint', async () => {
  let r = await verify(w, ['--env', 'test'], {
    env: { HR_TEST_MAIL_SECRET: 'Xy7aQ~wrong-but-secret-looking-value-0123456' },
  });
  assert.is(r.code, 1);
  assert.match(r.stdout, /FAIL {2}Token from Microsoft Entra ID +AADSTS7000215: Invalid client secret provided/);
  assert.match(r.stdout, /correlation id [0-9a-f-]{36}/);
  assert.match(
    r.stdout,
    /redo: Step 4: Create a client secret and copy its Value \(runbooks\/contoso-hr\/test\/runbook\.md#create-secret\)/,
  );
  assert.match(r.stdout, /SKIP {2}IMAP hr-test@contoso\.com +not tried: there is no token/, 'no login without a token');
  r = await verify(w, ['--env', 'test', '--docs', 'docs/hr', '--token-only'], {
    env: { HR_TEST_MAIL_SECRET: 'Xy7aQ~wrong-but-secret-looking-value-0123456' },
  });
  assert.match(r.stdout, /\(docs\/hr\/test\/runbook\.md#create-secret\)/);
});

V("diagnoses link to the step as the documents' flavour anchors it (--flavor, or the config file's)", async () => {
  const wrong = { HR_TEST_MAIL_SECRET: 'Xy7aQ~wrong-but-secret-looking-value-0123456' };
  for (const flavor of ['azure-devops', 'portable']) {
    const docs = `test/fixtures/generate-options/flavor-${flavor}/expected`;
    const r = await verify(w, ['--env', 'test', '--token-only', '--flavor', flavor, '--docs', docs], { env: wrong });
    const link = new RegExp(`\\(${docs.replace(/[.]/g, '\\.')}/test/runbook\\.md#([a-z0-9-]+)\\)`).exec(r.stdout);
    assert.ok(link, r.stdout);
    // The runbook of that flavour links to the step with the same anchor.
    assert.ok(
      readFileSync(join(root, docs, 'test/runbook.md'), 'utf8').includes(
        `[Step 4: Create a client secret and copy its Value](#${link![1]})`,
      ),
      `${flavor}: #${link![1]} is the runbook's own anchor for the step`,
    );
    assert.is.not(link![1], 'create-secret');
  }
  // From the config file generate also reads.
  writeFileSync(join(w.dir, 'mail-oauth-runbook.config.yaml'), 'flavor: portable\n');
  const r = await verify(w, ['--env', 'test', '--token-only'], { env: wrong, manifest: example });
  assert.match(r.stdout, /runbook\.md#create-a-client-secret-and-copy-its-value\)/);
  const bad = await verify(w, ['--env', 'test', '--flavor', 'gitlab'], { env: wrong });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /unknown Markdown flavour "gitlab"/);
  rmSync(join(w.dir, 'mail-oauth-runbook.config.yaml'));
});

V('expired secret, unknown client, unknown tenant: each its AADSTS code and step', async () => {
  w.entra.behaviour.apps[0]!.secretExpired = true;
  let r = await verify(w, ['--env', 'test']);
  assert.is(r.code, 1);
  assert.match(r.stdout, /AADSTS7000222/);
  assert.match(r.stdout, /redo: Step 4: Create a client secret/);
  r = await verify(w, ['--env', 'test'], {
    manifest: example.replace('0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', '11111111-2222-4333-8444-555555555555'),
  });
  assert.match(r.stdout, /AADSTS700016: Application with identifier/);
  assert.match(r.stdout, /redo: Step 1: Register the app in Microsoft Entra ID[\s\S]*redo: Step 5: Record the IDs/);
  r = await verify(w, ['--env', 'test'], {
    manifest: example.replace('id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b', 'id: 99999999-0c4d-4e5f-8a6b-7c8d9e0f1a2b'),
  });
  assert.match(r.stdout, /AADSTS90002: Tenant '99999999-0c4d-4e5f-8a6b-7c8d9e0f1a2b' not found/);
  assert.match(r.stdout, /redo: Step 5: Record the IDs/);
});

V(
  'a token without the role (no consent): roles check fails → grant-consent, logins say the token lacks the role',
  async () => {
    w.entra.behaviour.apps[0]!.roles = ['SMTP.SendAsApp'];
    const r = await verify(w, ['--env', 'test']);
    assert.is(r.code, 1);
    assert.match(r.stdout, /FAIL {2}Token roles +missing IMAP\.AccessAsApp \(token has SMTP\.SendAsApp\)/);
    assert.match(r.stdout, /redo: Step 3: Grant admin consent/);
    assert.match(
      r.stdout,
      /FAIL {2}IMAP hr-test@contoso\.com +AUTHENTICATE failed\. \(the token lacks IMAP\.AccessAsApp\)/,
    );
    assert.match(r.stdout, /PASS {2}SMTP hr-test@contoso\.com/);
  },
);

V('an unknown AADSTS code still shows its number, text and correlation id; colour only when asked for', async () => {
  w.entra.behaviour.force = { status: 400, error: 'invalid_request', code: 5000001, text: 'Something new went wrong.' };
  let r = await verify(w, ['--env', 'test']);
  assert.is(r.code, 1);
  assert.match(
    r.stdout,
    /FAIL {2}Token from Microsoft Entra ID +AADSTS5000001: Something new went wrong\.; correlation id [0-9a-f-]{36}/,
  );
  assert.not.match(r.stdout, /\x1b\[/, 'no colour when not a terminal');
  r = await verify(w, ['--env', 'test'], { env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
  assert.match(r.stdout, /\x1b\[31;1mFAIL\x1b\[0m/);
  r = await verify(w, ['--env', 'test'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
  assert.not.match(r.stdout, /\x1b\[/, 'NO_COLOR wins');
  w.entra.behaviour.force = {
    status: 400,
    error: 'invalid_request',
    code: 53003,
    text: 'Access has been blocked by Conditional Access policies.',
  };
  r = await verify(w, ['--env', 'test']);
  assert.match(r.stdout, /AADSTS53003[\s\S]*Ask the tenant administrators to exclude this app/);
});

V('a token for another audience fails its aud check with the Bizagi step; the appId spelling passes', async () => {
  w.entra.behaviour.audience = 'https://graph.microsoft.com';
  let r = await verify(w, ['--env', 'test', '--token-only']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /FAIL {2}Token audience \(aud\) +token is for https:\/\/graph\.microsoft\.com, not Office 365 Exchange Online \(https:\/\/outlook\.office365\.com\): the scope must be https:\/\/outlook\.office365\.com\/\.default/,
  );
  assert.match(r.stdout, /redo: Step \d+: [^\n]*\(runbooks\/contoso-hr\/test\/runbook\.md#configure-bizagi\)/);
  r = await verify(w, ['--env', 'test', '--token-only', '--json']);
  const checks = (JSON.parse(r.stdout) as { checks: { id: string; status: string; diagnosis?: { id: string } }[] })
    .checks;
  const aud = checks.find((c) => c.id === 'claim-aud');
  assert.is(aud?.status, 'fail');
  assert.is(aud?.diagnosis?.id, 'aadsts-70011');
  assert.is(checks.find((c) => c.id === 'token')?.status, 'pass', "the token check keeps Exchange's id");
  assert.equal(w.entra.requests.at(-1)!.form.scope, 'https://outlook.office365.com/.default', "the resource's scope");

  w.entra.behaviour.audience = '00000002-0000-0ff1-ce00-000000000000';
  r = await verify(w, ['--env', 'test', '--token-only']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PASS {2}Token audience \(aud\) +00000002-0000-0ff1-ce00-000000000000/);
});

V('an extra role is a warning (least privilege), not a failure', async () => {
  w.entra.behaviour.apps[0]!.roles = ['IMAP.AccessAsApp', 'SMTP.SendAsApp', 'full_access_as_app'];
  const r = await verify(w, ['--env', 'test', '--token-only']);
  assert.is(r.code, 0, r.stdout);
  assert.match(
    r.stdout,
    /WARN {2}Least privilege +the token also carries full_access_as_app, which this environment does not need \(full_access_as_app is an EWS permission/,
  );
  assert.match(r.stdout, /redo: Step 2: Add the Exchange Online application permissions/);
  assert.not.match(r.stdout, /IMAP hr-test/, '--token-only skips the logins');
});

V('RBAC SMTP: no SMTP.SendAsApp role is right; having it is a failure', async () => {
  const rbac = example.replace(/(\n {2}test:\n)/, '$1    smtp: { access: rbac, group: bizagi-senders@contoso.com }\n');
  w.entra.behaviour.apps[0]!.roles = ['IMAP.AccessAsApp'];
  w.mail.rbacSmtp = ['hr-test@contoso.com'];
  let r = await verify(w, ['--env', 'test'], { manifest: rbac });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PASS {2}Token roles +has IMAP\.AccessAsApp/);
  assert.match(r.stdout, /PASS {2}SMTP hr-test@contoso\.com/);
  w.entra.behaviour.apps[0]!.roles = ['IMAP.AccessAsApp', 'SMTP.SendAsApp'];
  r = await verify(w, ['--env', 'test', '--token-only'], { manifest: rbac });
  assert.is(r.code, 1);
  assert.match(r.stdout, /FAIL {2}No SMTP\.SendAsApp role in RBAC mode/);
});

V('mailbox failures map to their steps: not connected, SMTP AUTH disabled, no permission', async () => {
  w.mail.misbehave = { 'imap:hr@contoso.com': 'not-connected', 'smtp:hr@contoso.com': 'smtp-auth-disabled' };
  w.mail.mailboxes = ['hr@contoso.com']; // no FullAccess on hr-archive
  const r = await verify(w, ['--env', 'production']);
  assert.is(r.code, 1);
  assert.match(
    r.stdout,
    /FAIL {2}IMAP hr@contoso\.com +User is authenticated but not connected\.[\s\S]*?redo: Step 7: Grant the app access to each mailbox/,
  );
  assert.match(
    r.stdout,
    /FAIL {2}SMTP hr@contoso\.com +535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled[\s\S]*?redo: Step 8: Turn on SMTP AUTH for the SMTP mailboxes/,
  );
  assert.match(
    r.stdout,
    /FAIL {2}POP hr-archive@contoso\.com +-ERR Authentication failure: unknown user name or bad password\. \(the token is fine and carries POP\.AccessAsApp[\s\S]*?redo: Step 6: Register the service principal in Exchange Online[\s\S]*?redo: Step 7: Grant the app access/,
  );
  assert.match(r.stdout, /Exchange may not have applied it yet: retry later before redoing a step/);
  assert.is(w.entra.requests.length, 1, 'one token for all logins');
});

V('a mail server that accepts and never answers is cut off by --timeout', async () => {
  w.mail.misbehave = { 'imap:hr-test@contoso.com': 'hang', 'smtp:hr-test@contoso.com': 'hang' };
  const started = Date.now();
  const r = await verify(w, ['--env', 'test', '--timeout', '1']);
  assert.is(r.code, 1);
  assert.match(r.stdout, /FAIL {2}IMAP hr-test@contoso\.com +connected to 127\.0\.0\.1:\d+, then no answer within 1 s/);
  assert.match(r.stdout, /FAIL {2}SMTP hr-test@contoso\.com +connected to 127\.0\.0\.1:\d+, then no answer within 1 s/);
  assert.ok(Date.now() - started < 15_000);
});

V('token endpoint down, refusing, or too slow: a network diagnosis naming the host', async () => {
  w.entra.behaviour.delayMs = Infinity;
  let r = await verify(w, ['--env', 'test', '--timeout', '1']);
  assert.is(r.code, 1);
  assert.match(
    r.stdout,
    /FAIL {2}Token from Microsoft Entra ID +connected to 127\.0\.0\.1:\d+, then no answer within 1 s/,
  );
  assert.match(r.stdout, /cause: The server accepted the connection, then did not answer in time/);
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  r = await runCli(
    ['verify', 'runbooks/contoso-hr.yaml', '--env', 'test', '--authority-host', `https://127.0.0.1:${closed}`],
    { env: w.env },
  );
  outputs.push(r.stdout, r.stderr);
  assert.is(r.code, 1);
  assert.match(r.stdout, new RegExp(`127\\.0\\.0\\.1:${closed} refused the connection`));
  r = await runCli(['verify', 'runbooks/contoso-hr.yaml', '--env', 'test', '--authority-host', w.entra.url], {
    env: { ...w.env, NODE_EXTRA_CA_CERTS: undefined },
  });
  outputs.push(r.stdout, r.stderr);
  assert.match(
    r.stdout,
    /the certificate of 127\.0\.0\.1:\d+ is not trusted by Node\.js here \(DEPTH_ZERO_SELF_SIGNED_CERT\); it was issued by CN=localhost/,
  );
  assert.match(r.stdout, /in bash NODE_EXTRA_CA_CERTS=root\.pem mail-oauth-runbook verify/);
});

V('a token answer msal or we cannot use: a clear failure, no crash, no secret', async () => {
  for (const malformed of ['not-json', 'not-jwt', 'no-token'] as const) {
    w.entra.behaviour.malformed = malformed;
    const r = await verify(w, ['--env', 'test', '--token-only']);
    assert.is(r.code, 1, `${malformed}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /FAIL {2}(Token from Microsoft Entra ID|Token claims)/, malformed);
    assert.not.match(r.stderr, /internal error/, malformed);
  }
});

V('logins run at most --concurrency at once', async () => {
  const mailboxes = Array.from({ length: 10 }, (_, i) => `box${i}@contoso.com`);
  const many = example.replace(
    / {4}mailboxes:\n {6}- address: hr-test@contoso\.com\n {8}protocols: \[imap, smtp\]\n/,
    `    mailboxes:\n${mailboxes.map((m) => `      - { address: ${m}, protocols: [imap, pop, smtp] }\n`).join('')}`,
  );
  w.mail.mailboxes = mailboxes;
  w.mail.loginDelayMs = 150;
  w.entra.behaviour.apps[0]!.roles = ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'];
  for (const limit of [1, 3]) {
    w.mail.tracker!.max = 0;
    const r = await verify(w, ['--env', 'test', '--concurrency', String(limit)], { manifest: many });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASSED: 37 passed/);
    assert.is(w.mail.tracker!.max, limit, `most sessions at once with --concurrency ${limit}`);
  }
});

V('a secret past its recorded expiry: validate only warns, verify fails (it still tries the token)', async () => {
  // 2001 is in the past whatever day the suite runs.
  const r = await verify(w, ['--env', 'test'], {
    manifest: example.replace('expires: 2027-05-31', 'expires: 2001-01-31'),
  });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /warning \[secret-expired\] the client secret of "test" expired on 2001-01-31/);
  assert.match(r.stdout, /FAIL {2}Client secret expiry +expired on 2001-01-31/);
  assert.match(r.stdout, /PASS {2}Token from Microsoft Entra ID/);
  assert.is(w.entra.requests.length, 1);
});

V(
  'a mailbox with state: absent must refuse the app: a login that still works fails, a refused one passes',
  async () => {
    const removed = example.replace(
      '      - address: hr-archive@contoso.com\n        protocols: [pop]',
      '      - address: hr-archive@contoso.com\n        protocols: [pop]\n        state: absent',
    );
    assert.ok(removed.includes('state: absent'));
    let r = await verify(w, ['--env', 'production'], { manifest: removed });
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /FAIL {2}POP hr-archive@contoso\.com \(removed: must be refused\) +logged in, but the manifest marks hr-archive@contoso\.com state: absent: the app still has access/,
    );
    assert.match(r.stdout, /PASS {2}IMAP hr@contoso\.com/);
    w.mail.mailboxes = w.mail.mailboxes.filter((m) => m !== 'hr-archive@contoso.com'); // the access is gone now
    r = await verify(w, ['--env', 'production'], { manifest: removed });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /PASS {2}POP hr-archive@contoso\.com \(removed: must be refused\) +refused, as it must be: -ERR/,
    );
  },
);

V(
  'a retired environment (state: absent) has nothing to verify: exit 2, pointing at its decommission runbook',
  async () => {
    const retired = example.replace('  production:\n', '  production:\n    state: absent\n');
    const r = await verify(w, ['--env', 'production'], { manifest: retired });
    assert.is(r.code, 2);
    assert.match(
      r.stderr,
      /error \[environment-retired\]: environment "production" has state: absent \(retired\)[\s\S]*decommission\.md/,
    );
    assert.is(w.entra.requests.length, 0);
  },
);

V('no client ID yet: fails with record-ids and needs no secret', async () => {
  const r = await verify(w, ['--env', 'test'], {
    manifest: example.replace('      clientId: 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\n', ''),
    env: { HR_TEST_MAIL_SECRET: undefined },
  });
  assert.is(r.code, 1);
  assert.match(r.stdout, /FAIL {2}Client ID in the manifest +the manifest has no app\.clientId/);
  assert.match(r.stdout, /redo: Step 5: Record the IDs/);
  assert.is(w.entra.requests.length, 0);
});

V('the secret: missing → exit 2 with how to provide it; --secret-stdin reads one line', async () => {
  let r = await verify(w, ['--env', 'test'], { env: { HR_TEST_MAIL_SECRET: undefined } });
  assert.is(r.code, 2);
  assert.match(
    r.stderr,
    /error \[no-secret\]: no client secret: the environment variable HR_TEST_MAIL_SECRET \(app\.secret\.env\) is not set/,
  );
  assert.match(r.stderr, /--secret-stdin/);
  r = await verify(w, ['--env', 'test', '--secret-stdin', '--token-only'], {
    env: { HR_TEST_MAIL_SECRET: undefined },
    input: `${canarySecret}\nignored\n`,
  });
  assert.is(r.code, 0, r.stdout + r.stderr);
  r = await verify(w, ['--env', 'tset']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /did you mean "test"\?/);
  r = await runCli(['verify', 'runbooks/contoso-hr.yaml', '--env', 'test', '--authority-host', 'http://127.0.0.1:1'], {
    env: w.env,
  });
  assert.is(r.code, 2);
  assert.match(r.stderr, /--authority-host must use https/);
});

V('on a terminal, the secret is asked for without echo', async () => {
  if (!existsSync('/usr/bin/script')) return; // util-linux script gives the CLI a pseudo-terminal
  const command = [
    'node',
    cliPath,
    'verify',
    join(root, 'runbooks/contoso-hr.yaml'),
    '--env',
    'test',
    '--token-only',
    ...w.args,
  ]
    .map((a) => `'${a}'`)
    .join(' ');
  const r = await new Promise<Result>((resolve) => {
    const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, ...w.env, HR_TEST_MAIL_SECRET: '', NO_COLOR: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/input hidden\): $/.test(stdout)) child.stdin.write(`${canarySecret}\r`);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
  });
  outputs.push(r.stdout);
  assert.match(r.stdout, /Client secret Value for test \(input hidden\): /);
  assert.match(r.stdout, /PASSED/);
  assert.is(r.code, 0);
});

V.after(() => {
  // Redaction scan: neither the canary secret nor any issued token appears in anything verify printed or wrote.
  assert.ok(outputs.length > 20);
  assert.ok(tokens.length > 0, 'tokens were collected for the scan');
  for (const out of outputs) {
    assert.not.ok(out.includes(canarySecret), 'secret leaked');
    assert.not.ok(out.includes(Buffer.from(canarySecret).toString('base64')), 'secret leaked (base64)');
    assert.not.ok(out.includes('dXNlcj'), 'a SASL XOAUTH2 payload (base64 of "user=…") leaked');
    for (const t of tokens) assert.not.ok(out.includes(t.slice(20, 80)), 'token leaked');
  }
  assert.not.ok(existsSync(join(root, 'verification-test.md')));
});

V.run();
