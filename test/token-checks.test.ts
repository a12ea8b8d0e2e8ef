// Unit tests of verify's claim checks: which check fails, and which runbook steps it sends the reader to.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Manifest } from '../src/manifest/types.ts';
import { buildPlan } from '../src/plan/plan.ts';
import { claimChecks } from '../src/verify/checks/token-checks.ts';

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
const check = (plan: ReturnType<typeof planFor>, payload: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    claimChecks(plan, plan.environments[0]!, payload, { path: 'runbook.md', anchor: (s) => s.anchor }).map((c) => [
      c.id,
      c,
    ]),
  );
const good = { tid: tenant, appid: client, roles: ['IMAP.AccessAsApp', 'SMTP.SendAsApp'] };

test('a token with the right tenant, app and roles passes every check', () => {
  const plan = planFor();
  const r = check(plan, good);
  for (const id of ['claim-tid', 'claim-appid', 'claim-roles']) assert.is(r[id]?.status, 'pass', id);
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

test('a token that is not a readable JWT is one failed check', () => {
  const r = check(planFor(), undefined);
  assert.is(r.claims?.status, 'fail');
});

test.run();
