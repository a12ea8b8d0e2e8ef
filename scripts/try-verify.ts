// `npm run try-verify`: what verify says, without a tenant. It starts the test suite's loopback fakes (a token
// endpoint over HTTPS, IMAP, POP and SMTP servers that check XOAUTH2 as Exchange Online does) and runs the built CLI's
// `verify` on the bundled example's test environment, first against a correct setup, then against the usual mistakes,
// one at a time. Nothing leaves this machine; the secret is the suite's canary, never a real one.
import { canarySecret, startWorld, testClientId, tenant, type World } from '../test/helpers/world.ts';
import { runCli } from '../test/helpers/cli.ts';

type Scenario = { title: string; start: () => Promise<World>; env?: Record<string, string> };

const scenarios: Scenario[] = [
  { title: 'A correct setup: every check passes', start: () => startWorld() },
  {
    title: 'The wrong secret (for example the Secret ID copied instead of the Value)',
    start: () => startWorld(),
    env: { HR_TEST_MAIL_SECRET: 'Wr0ng~Secret.Value-not-the-one-in-Entra_12' },
  },
  {
    title: 'Admin consent not granted: the token has no roles',
    start: () => startWorld({ entra: { apps: [{ tenant, clientId: testClientId, secret: canarySecret, roles: [] }] } }),
  },
  {
    title: 'No FullAccess on the mailbox (Add-MailboxPermission not run)',
    start: () => startWorld({ mail: { mailboxes: [] } }),
  },
];

for (const s of scenarios) {
  const world = await s.start();
  try {
    const r = await runCli(['verify', 'runbooks/contoso-hr.yaml', '--env', 'test', ...world.args], {
      env: { ...world.env, ...s.env },
    });
    process.stdout.write(`\n## ${s.title} (exit ${r.code})\n\n${r.stdout}${r.stderr}`);
  } finally {
    await world.close();
  }
}
