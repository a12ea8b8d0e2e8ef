// Unit tests of verify's claim checks: which check fails, and which runbook steps it sends the reader to.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Manifest } from '../src/manifest/types.ts';
import { buildPlan } from '../src/plan/plan.ts';
import { claimChecks, forResource } from '../src/verify/checks/token-checks.ts';
import { resources, type ResourceFacts } from '../src/plan/resources.ts';

const tenant = '11111111-2222-3333-4444-555555555555';
const client = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const planFor = (smtp?: Manifest['environments'][string]['smtp']) =>
  buildPlan(
    {
      version: 1,
      tenant: { id: tenant },
      bizagi: { company: 'contoso', project: 'hr' },
      environments: {
        test: {
          app: { clientId: client },
          ...(smtp ? { smtp } : {}),
          mailboxes: [{ address: 'a@contoso.com', protocols: ['imap', 'smtp'] }],
        },
      },
    },
    'm.yaml',
  );
const check = (
  plan: ReturnType<typeof planFor>,
  payload: Record<string, unknown> | undefined,
  resource: ResourceFacts = resources.exchange,
) =>
  Object.fromEntries(
    claimChecks(plan, plan.environments[0]!, resource, payload, { path: 'runbook.md', anchor: (s) => s.anchor }).map(
      (c) => [c.id, c],
    ),
  );
const good = {
  aud: 'https://outlook.office365.com',
  tid: tenant,
  appid: client,
  roles: ['IMAP.AccessAsApp', 'SMTP.SendAsApp'],
};

test('a token with the right tenant, app and roles passes every check', () => {
  const plan = planFor();
  const r = check(plan, good);
  for (const id of ['claim-aud', 'claim-tid', 'claim-appid', 'claim-roles']) assert.is(r[id]?.status, 'pass', id);
  assert.is(r['claim-extra-roles'], undefined);
});

test('a missing role fails and sends the reader to the permission and consent steps', () => {
  const r = check(planFor(), { ...good, roles: ['IMAP.AccessAsApp'] });
  assert.is(r['claim-roles']?.status, 'fail');
  assert.match(r['claim-roles']!.detail, /missing SMTP\.SendAsApp/);
  assert.equal(r['claim-roles']!.diagnosis!.steps.map((s) => s.id).sort(), ['add-permissions', 'grant-consent']);
});

test('another tenant or app in the token fails with the values side by side', () => {
  const r = check(planFor(), {
    ...good,
    tid: '99999999-2222-3333-4444-555555555555',
    appid: '99999999-bbbb-cccc-dddd-eeeeeeeeeeee',
  });
  assert.is(r['claim-tid']?.status, 'fail');
  assert.match(r['claim-tid']!.detail, new RegExp(tenant));
  assert.is(r['claim-appid']?.status, 'fail');
  assert.match(r['claim-appid']!.detail, new RegExp(client));
});

test('RBAC mode: SMTP.SendAsApp in the token is a failure, not a pass', () => {
  const r = check(planFor({ access: 'rbac', group: 'senders@contoso.com' }), good);
  assert.is(r['claim-rbac']?.status, 'fail');
  assert.is(r['claim-roles']?.status, 'pass');
});

test('roles the environment does not need are a least-privilege warning; full_access_as_app is named as EWS', () => {
  const r = check(planFor(), { ...good, roles: [...good.roles, 'full_access_as_app'] });
  assert.is(r['claim-extra-roles']?.status, 'warn');
  assert.match(r['claim-extra-roles']!.detail, /EWS/);
});

test('aud: every plausible spelling of the Exchange resource passes (Microsoft documents none of them)', () => {
  const spellings = [
    'https://outlook.office365.com',
    'https://outlook.office365.com/',
    'HTTPS://Outlook.Office365.com',
    '00000002-0000-0ff1-ce00-000000000000',
    ['https://outlook.office365.com'],
    ['00000002-0000-0ff1-ce00-000000000000', 'https://outlook.office365.com'],
  ];
  for (const aud of spellings) {
    const r = check(planFor(), { ...good, aud });
    assert.is(r['claim-aud']?.status, 'pass', JSON.stringify(aud));
    assert.is(r.claims, undefined, JSON.stringify(aud));
  }
});

test('aud: a token for another resource, or none, fails with the Bizagi scope step to redo', () => {
  for (const aud of ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000', undefined, []]) {
    const r = check(planFor(), { ...good, aud });
    assert.is(r['claim-aud']?.status, 'fail', JSON.stringify(aud));
    assert.match(r['claim-aud']!.detail, 'the scope must be https://outlook.office365.com/.default');
    assert.equal(
      r['claim-aud']!.diagnosis!.steps.map((s) => s.id),
      ['configure-bizagi'],
    );
  }
});

test("aud: the national cloud's resource is the one expected there", () => {
  const plan = buildPlan(
    {
      version: 1,
      tenant: { id: tenant, cloud: 'usgov' },
      bizagi: { company: 'contoso', project: 'hr' },
      environments: {
        test: { app: { clientId: client }, mailboxes: [{ address: 'a@contoso.com', protocols: ['imap'] }] },
      },
    },
    'm.yaml',
  );
  assert.is(check(plan, { ...good, aud: 'https://outlook.office365.us' })['claim-aud']?.status, 'pass');
  assert.is(check(plan, { ...good, aud: 'https://outlook.office365.com' })['claim-aud']?.status, 'fail');
});

test("another resource's checks carry its suffix and name; Exchange's ids stay as they were", () => {
  const graph: ResourceFacts = {
    ...resources.exchange,
    id: 'exchange',
    name: 'Microsoft Graph',
    checkSuffix: '-graph',
  };
  const c = { id: 'claim-roles', title: 'Token roles', status: 'pass' as const, detail: '' };
  assert.equal(forResource(graph)(c), { ...c, id: 'claim-roles-graph', title: 'Token roles (Microsoft Graph)' });
  assert.is(forResource(resources.exchange)(c), c);
});

test('a token that is not a readable JWT is one failed check', () => {
  const r = check(planFor(), undefined);
  assert.is(r.claims?.status, 'fail');
});

test.run();
