import type { Protocol } from '../manifest/types.ts';
import type { EnvironmentPlan } from '../plan/plan.ts';
import { protocols } from '../plan/protocols.ts';
import { diagnosed } from './diagnose.ts';
import { imapLogin } from './mail/imap.ts';
import type { LoginOutcome, LoginTarget } from './mail/login-result.ts';
import { popLogin } from './mail/pop3.ts';
import { smtpLogin } from './mail/smtp.ts';
import { mapBounded } from './map-bounded.ts';
import type { CheckResult } from './result.ts';
import type { Endpoint, VerifySettings } from './settings.ts';

export type { Endpoint };
export { mapBounded };

const login: Record<Protocol, (t: LoginTarget) => Promise<LoginOutcome>> = { imap: imapLogin, pop: popLogin, smtp: smtpLogin };

export type LoginSettings = Pick<VerifySettings, 'endpoints' | 'concurrency' | 'timeoutMs' | 'proxy' | 'trace'> & { runbook: string };

/** Where and how to reach `protocol` for `user` with this token. */
export function loginTarget(s: LoginSettings, protocol: Protocol, user: string, accessToken: string): LoginTarget {
  const ep = s.endpoints[protocol];
  return { host: ep.host, port: ep.port, user, accessToken, timeoutMs: s.timeoutMs, trace: s.trace?.(`${protocols[protocol].label} ${user}`), proxy: s.proxy(ep.host) };
}

/** One login per mailbox and protocol, `concurrency` at a time, all with the same token; `onCheck` hears each in order. */
export async function loginChecks(env: EnvironmentPlan, token: string, roles: readonly string[], s: LoginSettings, onCheck?: (c: CheckResult) => void): Promise<CheckResult[]> {
  const work = env.mailboxes.flatMap((mb) => mb.protocols.map((protocol) => ({ mailbox: mb.address, protocol })));
  return mapBounded(work, s.concurrency, async ({ mailbox, protocol }) => {
    const outcome = await login[protocol](loginTarget(s, protocol, mailbox, token));
    const base = { id: `login-${protocol}-${mailbox}`, title: `${protocols[protocol].label} ${mailbox}`, login: { mailbox, protocol, ...s.endpoints[protocol] } };
    return { ...base, ...judge(env, protocol, outcome, roles, s.runbook) };
  }, onCheck);
}

/** A session's outcome as a check's status, detail and diagnosis. */
export function judge(env: EnvironmentPlan, protocol: Protocol, outcome: LoginOutcome, roles: readonly string[], runbook: string): Pick<CheckResult, 'status' | 'detail' | 'diagnosis' | 'retryLater'> {
  if (outcome.ok) return { status: 'pass', detail: outcome.detail };
  if ('network' in outcome) return { status: 'fail', detail: outcome.network.detail, diagnosis: diagnosed(env, 'network', runbook) };
  return { status: 'fail', retryLater: true, ...explain(env, protocol, outcome.reply, roles, runbook) };
}

/** Which diagnosis a server reply points to, narrowed by what the token check already proved. */
function explain(env: EnvironmentPlan, protocol: Protocol, reply: string, roles: readonly string[], runbook: string): Pick<CheckResult, 'detail' | 'diagnosis'> {
  const text = reply.trim();
  if (/authenticated but not connected/i.test(text)) return { detail: text, diagnosis: diagnosed(env, 'imap-not-connected', runbook) };
  if (/5\.7\.139|SmtpClientAuthentication is disabled/i.test(text)) return { detail: text, diagnosis: diagnosed(env, 'smtp-auth-disabled', runbook) };
  if (/5\.2\.252|SendAsDenied|5\.7\.60/i.test(text)) return { detail: text, diagnosis: diagnosed(env, 'smtp-send-as-denied', runbook) };
  const d = diagnosed(env, 'auth-failed', runbook);
  const rbacSmtp = protocol === 'smtp' && env.smtp.rbac;
  const role = protocols[protocol].role.name;
  if (!rbacSmtp && !roles.includes(role)) {
    return { detail: `${text} (the token lacks ${role})`, diagnosis: diagnosed(env, 'missing-role', runbook) };
  }
  // The token carries what it needs, so the cause is on the Exchange side: keep only those steps.
  const exchangeSide = rbacSmtp ? ['register-service-principal', 'assign-smtp-rbac'] : ['register-service-principal', 'grant-mailbox-access'];
  return {
    detail: `${text} (the token is fine${rbacSmtp ? '' : ` and carries ${role}`}: check the service principal, its Object ID and the ${rbacSmtp ? 'RBAC role assignment' : 'mailbox permission'})`,
    diagnosis: { ...d, steps: d.steps.filter((s) => exchangeSide.includes(s.id)) },
  };
}
