// Unit tests of the pure core's first stage: manifest → plan. A failure here names the derived value that is wrong,
// where a golden diff would only show the documents that changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Manifest } from '../src/manifest/types.ts';
import { buildPlan } from '../src/plan/plan.ts';
import { permissions } from '../src/plan/permissions.ts';
import { diagnosesIn, diagnosisById } from '../src/plan/diagnoses.ts';

const tenantId = '11111111-2222-3333-4444-555555555555';
const manifest = (environments: Manifest['environments'], extra: Partial<Manifest> = {}): Manifest => ({
  version: 1,
  tenant: { id: tenantId },
  bizagi: { company: 'contoso', project: 'hr' },
  environments,
  ...extra,
});
const envOf = (m: Manifest, name: string) => buildPlan(m, 'm.yaml').environments.find((e) => e.name === name)!;
const stepIds = (env: ReturnType<typeof envOf>) => env.steps.map((s) => s.id);

test('production drops the environment prefix from the Work Portal and the redirect URI; others keep it', () => {
  const m = manifest({ production: { mailboxes: [] }, test: { mailboxes: [] } });
  assert.is(envOf(m, 'production').redirectUri, 'https://hr-contoso.bizagi.com/oauth2/client/callback');
  assert.is(envOf(m, 'test').redirectUri, 'https://test-hr-contoso.bizagi.com/oauth2/client/callback');
  assert.ok(envOf(m, 'test').workPortalDerived);
});

test('an explicit Work Portal URL is used as given, without a trailing slash', () => {
  const env = envOf(manifest({ test: { workPortalUrl: 'https://bpm.contoso.com/hr/', mailboxes: [] } }), 'test');
  assert.is(env.redirectUri, 'https://bpm.contoso.com/hr/oauth2/client/callback');
  assert.not.ok(env.workPortalDerived);
});

test('the token URI and scope come from the cloud, and IDs are lower-cased', () => {
  const m = manifest(
    { test: { app: { clientId: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE' }, mailboxes: [] } },
    { tenant: { id: tenantId, cloud: 'usgov' } },
  );
  const env = envOf(m, 'test');
  assert.is(env.tokenUri, `https://login.microsoftonline.us/${tenantId}/oauth2/v2.0/token`);
  assert.is(env.scope, 'https://outlook.office365.us/.default');
  assert.is(env.app.clientId, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
});

test('permissions and required roles follow the protocols the mailboxes use, in protocol order', () => {
  const env = envOf(
    manifest({ test: { mailboxes: [{ address: 'a@contoso.com', protocols: ['smtp', 'imap'] }] } }),
    'test',
  );
  assert.equal(env.protocols, ['imap', 'smtp']);
  assert.equal(env.requiredRoles, [permissions.imap.name, permissions.smtp.name]);
  assert.equal(
    env.servers.map((s) => `${s.host}:${s.port}`),
    ['outlook.office365.com:993', 'smtp.office365.com:587'],
  );
});

test('SMTP through RBAC: no SMTP.SendAsApp permission or role, no FullAccess for an SMTP-only mailbox, an RBAC step', () => {
  const env = envOf(
    manifest({
      test: {
        smtp: { access: 'rbac', group: 'bizagi-senders@contoso.com' },
        mailboxes: [{ address: 'a@contoso.com', protocols: ['smtp'] }],
      },
    }),
    'test',
  );
  assert.ok(env.smtp.rbac);
  assert.equal(env.requiredRoles, []);
  assert.is(env.mailboxes[0]!.fullAccess, false);
  assert.ok(stepIds(env).includes('assign-smtp-rbac'));
  for (const id of ['add-permissions', 'grant-consent', 'grant-mailbox-access'])
    assert.not.ok(stepIds(env).includes(id as never), id);
});

test('steps appear only where they apply, and are numbered 1..n in order', () => {
  const imapOnly = envOf(
    manifest({ test: { mailboxes: [{ address: 'a@contoso.com', protocols: ['imap'] }] } }),
    'test',
  );
  assert.not.ok(stepIds(imapOnly).includes('enable-smtp-auth'));
  assert.not.ok(stepIds(imapOnly).includes('assign-smtp-rbac'));
  assert.equal(
    imapOnly.steps.map((s) => s.number),
    imapOnly.steps.map((_, i) => i + 1),
  );
  const smtp = envOf(manifest({ test: { mailboxes: [{ address: 'a@contoso.com', protocols: ['smtp'] }] } }), 'test');
  assert.ok(stepIds(smtp).includes('enable-smtp-auth'));
});

test('every troubleshooting row names only steps the environment has', () => {
  for (const protocols of [['imap'], ['pop'], ['smtp'], ['imap', 'pop', 'smtp']] as const) {
    const env = envOf(
      manifest({ test: { mailboxes: [{ address: 'a@contoso.com', protocols: [...protocols] }] } }),
      'test',
    );
    const ids = new Set(stepIds(env));
    for (const row of env.troubleshooting) for (const s of row.steps) assert.ok(ids.has(s.id), `${row.id} → ${s.id}`);
  }
});

test('the script works through each address once, SendAs addresses de-duplicated', () => {
  const env = envOf(
    manifest({
      test: {
        mailboxes: [
          { address: 'a@contoso.com', protocols: ['imap', 'smtp'], sendAs: ['hr@contoso.com'] },
          { address: 'b@contoso.com', protocols: ['smtp'], sendAs: ['hr@contoso.com'] },
        ],
      },
    }),
    'test',
  );
  assert.equal(env.script.fullAccess, ['a@contoso.com', 'b@contoso.com']);
  assert.equal(env.script.sendAs, ['hr@contoso.com']);
  assert.equal(env.script.imap, ['a@contoso.com']);
  assert.ok(env.hasSendAs);
});

test('each step carries its heading, its number label and its anchor per flavour, computed once in the plan', () => {
  const m = manifest({ test: { mailboxes: [{ address: 'a@contoso.com', protocols: ['imap'] }] } });
  const plan = buildPlan(m, 'm.yaml');
  assert.is(plan.language, 'en');
  const consent = plan.environments[0]!.step['grant-consent']!;
  assert.is(consent.heading, `Step ${consent.number}: Grant admin consent`);
  assert.is(consent.label, `Step ${consent.number}`);
  assert.equal(consent.anchors, {
    github: 'grant-consent',
    'azure-devops': `step-${consent.number}-grant-admin-consent`,
    portable: 'grant-admin-consent',
  });
});

test("auth-failed's advice names the step to follow by the title the plan gives it, not a title quoted by hand", () => {
  const env = envOf(manifest({ test: { mailboxes: [{ address: 'a@contoso.com', protocols: ['imap'] }] } }), 'test');
  const title = env.step['register-service-principal']!.title;
  const advice = env.troubleshooting.find((r) => r.id === 'auth-failed')!.advice!;
  assert.ok(advice.includes(`as the step ${title} says`), advice);
  // verify's diagnosis (no environment at hand) says the same, and the text follows whatever title the step has.
  assert.is(diagnosisById('auth-failed').advice, advice);
  const renamed = diagnosesIn('en', (id) => `<${id}>`).find((d) => d.id === 'auth-failed')!;
  assert.ok(renamed.advice!.includes('as the step <register-service-principal> says'), renamed.advice!);
});

test.run();
