import type { EnvironmentPlan, Plan } from '../plan/plan.ts';
import { runbookPath } from '../plan/layout.ts';
import { stepAnchor } from '../plan/steps.ts';
import { protocolOrder, protocols, type ResourceId } from '../plan/protocols.ts';
import type { Protocol } from '../manifest/types.ts';
import { toolVersion } from '../version.ts';
import type { RunbookRef } from './checks/diagnose.ts';
import { decodeJwtPayload, safeClaims, tokenRoles } from './checks/jwt.ts';
import { loginChecks, skippedLogins, type LoginSettings } from './checks/logins.ts';
import type { CheckResult, VerifyReport } from './report/result.ts';
import { sendTestChecks } from './checks/send-test.ts';
import type { VerifySettings } from './input/settings.ts';
import { claimChecks, clientIdCheck, forResource, secretExpiryCheck, tokenCheck } from './checks/token-checks.ts';
import { resources } from '../plan/resources.ts';
import { acquireToken } from './network/token.ts';

/**
 * Verifies one environment: the client ID, the secret's expiry, then per resource one token, its claims and the
 * logins (and, when asked, the test messages) that use it. Every check is handed to `progress` as soon as it is known.
 */
export async function verifyEnvironment(plan: Plan, env: EnvironmentPlan, s: VerifySettings): Promise<VerifyReport> {
  const started = s.now();
  const runbook: RunbookRef = { path: runbookPath(s.docsDir, env.name), anchor: (step) => stepAnchor(s.flavor, step) };
  const checks: CheckResult[] = [];
  const add = (c: CheckResult) => {
    checks.push(c);
    s.progress?.check(c);
  };
  let claims: Record<string, unknown> | null = null;

  add(clientIdCheck(env, runbook));
  if (env.app.clientId) {
    const secret = await s.secret(env);
    s.conceal(secret);
    add(secretExpiryCheck(env, s.now().toISOString().slice(0, 10), runbook));
    for (const resource of resourcesOf(env)) {
      const { payload } = await resourceChecks(plan, env, resource, env.app.clientId, secret, s, runbook, add);
      if (resource === 'exchange' && payload) claims = safeClaims(payload);
    }
  }
  s.progress?.working(null);

  return {
    manifest: s.manifest,
    environment: env.name,
    tenant: plan.tenant.id,
    clientId: env.app.clientId,
    startedAt: started.toISOString(),
    durationMs: s.now().getTime() - started.getTime(),
    result: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    toolVersion,
    hosts: {
      authority: s.authorityHost,
      ...(Object.fromEntries(protocolOrder.map((p) => [p, hostPort(s.endpoints[p])])) as Record<Protocol, string>),
    },
    claims,
    checks,
  };
}

/** The resources this environment's protocols need a token for; Exchange always, since its token is what Bizagi uses. */
function resourcesOf(env: EnvironmentPlan): ResourceId[] {
  return [...new Set<ResourceId>(['exchange', ...env.protocols.map((p) => protocols[p].resource)])];
}

/** One token for one resource, its claims, then every session that uses it. */
async function resourceChecks(
  plan: Plan,
  env: EnvironmentPlan,
  resource: ResourceId,
  clientId: string,
  secret: string,
  s: VerifySettings,
  runbook: RunbookRef,
  add: (c: CheckResult) => void,
) {
  const facts = resources[resource];
  const scope = facts.scope(plan.cloud);
  const own = forResource(facts);
  const authority = new URL(s.authorityHost).hostname;
  s.progress?.working(`token from ${new URL(s.authorityHost).host}`);
  const outcome = await acquireToken(scope, plan.tenant.id, clientId, secret, {
    authorityHost: s.authorityHost,
    ...s.budget.step(),
    proxy: s.proxy(authority),
  });
  if (outcome.ok) s.conceal(outcome.accessToken);
  add(own(tokenCheck(env, scope, outcome, s.authorityHost, secret, runbook)));
  // The logins and messages of this resource's protocols only: each resource has its own token.
  const mine = {
    ...env,
    mailboxes: env.mailboxes.map((mb) => ({
      ...mb,
      protocols: mb.protocols.filter((p) => protocols[p].resource === resource),
    })),
  };
  if (!outcome.ok) {
    // Listed, not left out: a report of a failed token still shows every login it could not try.
    if (!s.tokenOnly) for (const c of skippedLogins(mine, s, 'not tried: there is no token')) add(c);
    return { payload: undefined };
  }
  const payload = decodeJwtPayload(outcome.accessToken);
  for (const c of claimChecks(plan, env, facts, payload, runbook)) add(own(c));
  if (s.tokenOnly) return { payload };

  const roles = tokenRoles(payload);
  const sessions: LoginSettings = { ...s, runbook };
  const counted = (what: string, total: number) => {
    let done = 0;
    s.progress?.working(`${what} 0/${total}`);
    return (c: CheckResult) => {
      add(c);
      s.progress?.working(`${what} ${++done}/${total}`);
    };
  };
  const logins = mine.mailboxes.reduce((n, mb) => n + mb.protocols.length, 0);
  await loginChecks(mine, outcome.accessToken, roles, sessions, counted('logins', logins));
  if (s.sendTestTo && mine.uses.smtp) {
    const total = mine.mailboxes
      .filter((mb) => mb.protocols.includes('smtp'))
      .reduce((n, mb) => n + 1 + mb.sendAs.length, 0);
    await sendTestChecks(
      mine,
      outcome.accessToken,
      roles,
      s.sendTestTo,
      { ...sessions, now: s.now },
      counted('test messages', total),
    );
  }
  return { payload };
}

const hostPort = (e: { host: string; port: number }) =>
  e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
