import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './helpers/cli.ts';
import { canarySecret, prodClientId, startWorld, tenant, testClientId, type World } from './helpers/world.ts';

// verify's diagnoses say what the runbook's troubleshooting rows say (issue 13): a disabled app is re-enabled, not
// registered again; a 5.7.139 reply may come from security defaults, which the mailbox setting cannot override.

const V = suite('verify diagnoses');
let w: World;
V.after.each(async () => {
  await w.close();
});

const verify = (args: string[]) => runCli(['verify', 'runbooks/contoso-hr.yaml', ...args, ...w.args], { env: w.env });

V('AADSTS7000112: re-enable the enterprise application; no step to redo, and never "Register the app"', async () => {
  w = await startWorld({
    entra: {
      apps: [
        {
          tenant,
          clientId: testClientId,
          secret: canarySecret,
          roles: ['IMAP.AccessAsApp', 'SMTP.SendAsApp'],
          disabled: true,
        },
      ],
    },
  });
  const r = await verify(['--env', 'test']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /AADSTS7000112/);
  assert.match(
    r.stdout,
    /Re-enable it: Enterprise applications > the app > Properties > Enabled for users to sign-in: Yes/,
  );
  assert.not.match(r.stdout, /Register the app/);
});

V('535 5.7.139: the diagnosis names security defaults as well as the SMTP AUTH step', async () => {
  w = await startWorld({
    entra: {
      apps: [
        {
          tenant,
          clientId: prodClientId,
          secret: canarySecret,
          roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'],
        },
      ],
    },
  });
  w.mail.misbehave = { 'smtp:hr@contoso.com': 'smtp-auth-disabled' };
  const r = await verify(['--env', 'production']);
  assert.is(r.code, 1);
  assert.match(
    r.stdout,
    /FAIL {2}SMTP hr@contoso\.com +535 5\.7\.139[\s\S]*?security defaults are on in Microsoft Entra ID[\s\S]*?the mailbox setting does not turn it back on[\s\S]*?redo: Step 8: Turn on SMTP AUTH/,
  );
});

V.run();
