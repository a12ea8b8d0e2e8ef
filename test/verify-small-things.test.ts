// What people notice when they run verify (issue 28): only the asked environment's warnings, where the record went,
// every login listed when there is no token, a cause said once, and a record that says when, with what and where.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers/cli.ts';
import { canarySecret, startWorld, verifier, type World } from './helpers/world.ts';

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const outputs: string[] = [];
const verify = verifier(outputs);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const S = suite('verify, small things');
let w: World;
S.before.each(async () => {
  w = await startWorld();
});
S.after.each(async () => {
  await w.close();
});

S("--env test shows no warning about production's secret; --env production and --all do", async () => {
  const soon = example.replace('expires: 2027-11-30', `expires: ${inDays(10)}`);
  let r = await verify(w, ['--env', 'test', '--token-only'], { manifest: soon });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.match(r.stderr, /expires|production/, r.stderr);
  r = await verify(w, ['--env', 'production', '--token-only'], { manifest: soon });
  assert.match(r.stderr, /warning[\s\S]*environments\.production|production[\s\S]*expires/i, r.stderr);
  const all = await verify(w, ['--all', '--token-only'], { manifest: soon });
  assert.ok(all.stderr.length > 0 && all.stderr.includes(inDays(10)), all.stderr);
});

S('--report says where it wrote the record, on stderr (stdout stays one JSON document with --json)', async () => {
  const report = join(w.dir, 'record.md');
  let r = await verify(w, ['--env', 'test', '--token-only', '--report', report]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, `verification record written to ${report}\n`);
  r = await verify(w, ['--env', 'test', '--token-only', '--report', report, '--force', '--json']);
  assert.is(r.code, 0, r.stderr);
  JSON.parse(r.stdout);
  assert.match(r.stderr, 'verification record written to');
  r = await verify(w, ['--env', 'test', '--token-only']);
  assert.not.match(r.stderr, 'written to', 'no record, no line');
});

S('when the token fails, every login is listed as skipped, in the terminal, --json and the record', async () => {
  const report = join(w.dir, 'no-token.md');
  const r = await verify(w, ['--env', 'production', '--json', '--report', report], {
    env: { HR_MAIL_SECRET: 'Wr0ng~S3cr3t.V4lu3-that-Entra-refuses' },
  });
  assert.is(r.code, 1, r.stderr);
  const checks = (JSON.parse(r.stdout) as { checks: { id: string; status: string; detail: string }[] }).checks;
  const logins = checks.filter((c) => c.id.startsWith('login-'));
  assert.equal(
    logins.map((c) => `${c.id} ${c.status}`),
    ['login-imap-hr@contoso.com skip', 'login-smtp-hr@contoso.com skip', 'login-pop-hr-archive@contoso.com skip'],
  );
  assert.ok(logins.every((c) => c.detail === 'not tried: there is no token'));
  const md = readFileSync(report, 'utf8');
  outputs.push(md);
  assert.ok(md.includes('| `hr@contoso.com` | SKIP | — | SKIP |\n| `hr-archive@contoso.com` | — | SKIP | — |\n'), md);
  const text = await verify(w, ['--env', 'production'], {
    env: { HR_MAIL_SECRET: 'Wr0ng~S3cr3t.V4lu3-that-Entra-refuses' },
  });
  assert.match(text.stdout, /SKIP {2}POP hr-archive@contoso\.com +not tried: there is no token/);
  assert.match(text.stdout, /FAILED: 2 passed, 1 failed, 0 warnings, 3 skipped/);
  // --token-only asked for no logins: none are listed.
  const only = await verify(w, ['--env', 'production', '--token-only', '--json'], {
    env: { HR_MAIL_SECRET: 'Wr0ng~S3cr3t.V4lu3-that-Entra-refuses' },
  });
  assert.not.match(only.stdout, '"login-');
});

S('without consent, the cause and the steps are printed once; each login points back to them', async () => {
  w.entra.behaviour.apps[1]!.roles = [];
  const r = await verify(w, ['--env', 'production']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  const cause = 'cause: The permission was not added, or admin consent was not granted.';
  assert.is(r.stdout.split(cause).length - 1, 1, r.stdout);
  assert.is(r.stdout.split('redo: Step 3: Grant admin consent').length - 1, 1, r.stdout);
  for (const login of ['IMAP hr@contoso.com', 'SMTP hr@contoso.com', 'POP hr-archive@contoso.com'])
    assert.match(
      r.stdout,
      new RegExp(
        `FAIL {2}${login.replace(/\./g, '\\.')} [^\\n]+\\n {8}same cause and steps as Token roles above \\(if this setup was changed in the last hours, retry later first\\)\\n`,
      ),
      login,
    );
  // --json keeps each check's whole diagnosis: a program reads one check at a time.
  const j = await verify(w, ['--env', 'production', '--json']);
  const diagnosed = (JSON.parse(j.stdout) as { checks: { diagnosis?: { cause: string } }[] }).checks.filter((c) =>
    c.diagnosis?.cause.startsWith('The permission was not added'),
  );
  assert.is(diagnosed.length, 4);
});

S('the record shows token times as dates, the tool version and every host verify reached', async () => {
  const report = join(w.dir, 'record.md');
  const r = await verify(w, ['--env', 'test', '--json', '--report', report]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const md = readFileSync(report, 'utf8');
  outputs.push(md);
  const j = JSON.parse(r.stdout) as { toolVersion: string; hosts: Record<string, string>; claims: { exp: number } };
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.is(j.toolVersion, version);
  assert.equal(j.hosts, {
    authority: w.entra.url,
    imap: `127.0.0.1:${w.imap.port}`,
    pop: `127.0.0.1:${w.pop.port}`,
    smtp: `127.0.0.1:${w.smtp.port}`,
  });
  assert.match(md, `| Verified with | mail-oauth-runbook \`${version}\` |`);
  // test uses IMAP and SMTP only: POP's host is not one it reached.
  assert.match(
    md,
    `| Hosts | Sign-in \`${w.entra.url}\`, IMAP \`127.0.0.1:${w.imap.port}\`, SMTP \`127.0.0.1:${w.smtp.port}\` |`,
  );
  const exp = new Date(j.claims.exp * 1000).toISOString().replace('.000Z', 'Z');
  assert.match(md, `| \`exp\` | \`${exp} (${j.claims.exp})\` |`);
  assert.match(md, /\| `iat` \| `20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+\)` \|/);
});

S.after(() => {
  for (const out of outputs) assert.not.ok(out.includes(canarySecret), 'the secret leaked');
});

S.run();
