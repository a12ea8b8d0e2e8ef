import type { EnvironmentPlan, Plan } from '../../plan/plan.ts';
import { fullAccessAsApp, permissions } from '../../plan/permissions.ts';
import { describeExpiry, secretExpiry } from '../../plan/expiry.ts';
import type { DiagnosisId } from '../../plan/diagnoses.ts';
import type { ResourceFacts } from '../../plan/resources.ts';
import { diagnosed, diagnosisForAadsts, networkDiagnosed, type RunbookRef } from './diagnose.ts';
import type { CheckResult } from '../report/result.ts';
import type { TokenOutcome } from '../network/token.ts';
import { typedClaims } from './jwt.ts';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function clientIdCheck(env: EnvironmentPlan, runbook: RunbookRef): CheckResult {
  return env.app.clientId
    ? { id: 'client-id', title: 'Client ID in the manifest', status: 'pass', detail: env.app.clientId }
    : {
        id: 'client-id',
        title: 'Client ID in the manifest',
        status: 'fail',
        detail: 'the manifest has no app.clientId for this environment',
        diagnosis: diagnosed(env, 'no-client-id', runbook),
      };
}

/** Expiry is where verify fails (validate and generate only warn): a secret on or past its date is a failure. */
export function secretExpiryCheck(env: EnvironmentPlan, today: string, runbook: RunbookRef): CheckResult {
  const expires = env.app.secretExpires;
  const base = { id: 'secret-expiry', title: 'Client secret expiry' };
  if (!expires) return { ...base, status: 'skip', detail: 'the manifest does not record app.secret.expires' };
  const { state, daysLeft } = secretExpiry(today, expires);
  const left = daysLeft ?? 0;
  if (state === 'expired')
    return {
      ...base,
      status: 'fail',
      detail: describeExpiry(expires, left),
      diagnosis: diagnosed(env, 'aadsts-7000222', runbook),
    };
  if (state === 'expiring')
    return {
      ...base,
      status: 'warn',
      detail: `expires on ${expires}, in ${left} day${left === 1 ? '' : 's'}: rotate it now`,
      diagnosis: diagnosed(env, 'aadsts-7000222', runbook),
    };
  return { ...base, status: 'pass', detail: `expires on ${expires}, in ${left} days` };
}

/** A check of one resource's token under that resource's own id (see ResourceFacts.checkSuffix). */
export const forResource =
  (resource: ResourceFacts) =>
  (c: CheckResult): CheckResult =>
    resource.checkSuffix ? { ...c, id: `${c.id}${resource.checkSuffix}`, title: `${c.title} (${resource.name})` } : c;

export function tokenCheck(
  env: EnvironmentPlan,
  scope: string,
  outcome: TokenOutcome,
  authorityHost: string,
  secret: string,
  runbook: RunbookRef,
): CheckResult {
  const base = {
    id: 'token',
    title: 'Token from Microsoft Entra ID',
    ...(outcome.elapsedMs === undefined ? {} : { elapsedMs: outcome.elapsedMs }),
  };
  if (outcome.ok)
    return { ...base, status: 'pass', detail: `issued by ${new URL(authorityHost).host} for scope ${scope}` };
  if (outcome.network) {
    return {
      ...base,
      status: 'fail',
      detail: outcome.network.detail,
      diagnosis: networkDiagnosed(env, outcome.network, runbook),
    };
  }
  if (outcome.server) {
    const s = outcome.server;
    const id = diagnosisForAadsts(s.errorNo);
    const aadstsText =
      s.errorNo && !s.message.startsWith(`AADSTS${s.errorNo}`) ? `AADSTS${s.errorNo}: ${s.message}` : s.message;
    const parts = [aadstsText || s.errorCode, s.correlationId ? `correlation id ${s.correlationId}` : ''];
    // The most common mistake of all: the secret's ID (a GUID) pasted where its Value belongs.
    if (id === 'aadsts-7000215' && guid.test(secret.trim()))
      parts.push('the secret given is a GUID: that is the Secret ID, not the secret Value');
    return {
      ...base,
      status: 'fail',
      detail: parts.filter(Boolean).join('; '),
      ...(id ? { diagnosis: diagnosed(env, id, runbook) } : {}),
    };
  }
  return { ...base, status: 'fail', detail: outcome.other ?? 'no token' };
}

/** aud, tid, appid and roles checks on the decoded payload of the token requested for `resource`. */
export function claimChecks(
  plan: Plan,
  env: EnvironmentPlan,
  resource: ResourceFacts,
  payload: Record<string, unknown> | undefined,
  runbook: RunbookRef,
): CheckResult[] {
  if (!payload)
    return [{ id: 'claims', title: 'Token claims', status: 'fail', detail: 'the access token is not a readable JWT' }];
  const out: CheckResult[] = [];
  // Every claim is read through its type: a claim of another type counts as missing and fails here, never crashes.
  const { claims, problems } = typedClaims(payload);
  if (problems.length)
    out.push({
      id: 'claims',
      title: 'Token claims',
      status: 'fail',
      detail: `claims of an unexpected type: ${problems.join('; ')}`,
    });
  out.push(audienceCheck(plan, env, resource, claims.aud as string | string[] | undefined, runbook));
  // The token names the tenant and the app it was issued for: each must be the manifest's.
  const sameId = (id: string, title: string, actual: string, expected: string | null, what: string, d: DiagnosisId) =>
    out.push(
      actual.toLowerCase() === expected
        ? { id, title, status: 'pass', detail: actual }
        : {
            id,
            title,
            status: 'fail',
            detail: `token is for ${what} ${actual || '(none)'}, the manifest says ${expected}`,
            diagnosis: diagnosed(env, d, runbook),
          },
    );
  sameId(
    'claim-tid',
    'Token tenant (tid)',
    (claims.tid as string | undefined) ?? '',
    plan.tenant.id,
    'tenant',
    'aadsts-90002',
  );
  sameId(
    'claim-appid',
    'Token application (appid)',
    ((claims.appid ?? claims.azp) as string | undefined) ?? '',
    env.app.clientId,
    'app',
    'aadsts-700016',
  );

  const roles = (claims.roles as string[] | undefined) ?? [];
  const missing = env.requiredRoles.filter((r) => !roles.includes(r));
  out.push(
    missing.length === 0
      ? {
          id: 'claim-roles',
          title: 'Token roles',
          status: 'pass',
          detail: env.requiredRoles.length ? `has ${env.requiredRoles.join(', ')}` : 'no Exchange roles needed',
        }
      : {
          id: 'claim-roles',
          title: 'Token roles',
          status: 'fail',
          detail: `missing ${missing.join(', ')} (token has ${roles.length ? roles.join(', ') : 'no roles'}); the permission is not added or admin consent is not granted`,
          diagnosis: diagnosed(env, 'missing-role', runbook),
        },
  );

  const sendAsApp = permissions.smtp.name;
  if (env.smtp.rbac && roles.includes(sendAsApp)) {
    out.push({
      id: 'claim-rbac',
      title: 'No SMTP.SendAsApp role in RBAC mode',
      status: 'fail',
      detail: `${sendAsApp} is granted as an API permission, but this environment sends through RBAC for Applications: remove the API permission so access stays scoped to the group`,
      diagnosis: diagnosed(env, 'extra-role', runbook),
    });
  }
  const extra = roles.filter((r) => !env.requiredRoles.includes(r) && !(env.smtp.rbac && r === sendAsApp));
  if (extra.length) {
    const ews = extra.includes(fullAccessAsApp.name)
      ? ` (${fullAccessAsApp.name} is an EWS permission: it grants no IMAP, POP or SMTP access)`
      : '';
    out.push({
      id: 'claim-extra-roles',
      title: 'Least privilege',
      status: 'warn',
      detail: `the token also carries ${extra.join(', ')}, which this environment does not need${ews}`,
      diagnosis: diagnosed(env, 'extra-role', runbook),
    });
  }
  return out;
}

/**
 * The token must be for the resource it was requested for: a token for another API is refused by the mail servers
 * with no word of why. The scope is what Bizagi's Scope field says, so that is the step named.
 */
function audienceCheck(
  plan: Plan,
  env: EnvironmentPlan,
  resource: ResourceFacts,
  aud: string | string[] | undefined,
  runbook: RunbookRef,
): CheckResult {
  const base = { id: 'claim-aud', title: 'Token audience (aud)' };
  const given = aud === undefined ? [] : typeof aud === 'string' ? [aud] : aud;
  const accepted = resource.audiences(plan.cloud).map((a) => a.toLowerCase());
  if (given.some((a) => accepted.includes(a.toLowerCase())))
    return { ...base, status: 'pass', detail: given.join(', ') };
  return {
    ...base,
    status: 'fail',
    detail: `token is for ${given.length ? given.join(', ') : '(no audience)'}, not ${resource.name} (${resource.audience(plan.cloud)}): the scope must be ${resource.scope(plan.cloud)}`,
    diagnosis: diagnosed(env, 'aadsts-70011', runbook),
  };
}
