import type { Protocol } from '../manifest/types.ts';
import type { EnvironmentPlan } from '../plan/plan.ts';
import { permissions } from '../plan/permissions.ts';
import { diagnosed } from './diagnose.ts';
import { imapLogin } from './mail/imap.ts';
import type { LoginOutcome, LoginTarget, Trace } from './mail/login-result.ts';
import { popLogin } from './mail/pop3.ts';
import { smtpLogin } from './mail/smtp.ts';
import type { CheckResult } from './result.ts';

export type Endpoint = { host: string; port: number };

const login: Record<Protocol, (t: LoginTarget) => Promise<LoginOutcome>> = { imap: imapLogin, pop: popLogin, smtp: smtpLogin };
const label: Record<Protocol, string> = { imap: 'IMAP', pop: 'POP', smtp: 'SMTP' };

/** Runs `fn` over `items` with at most `limit` at once, keeping the input order in the results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One login per mailbox and protocol, `concurrency` at a time, all with the same token. */
export async function loginChecks(
  env: EnvironmentPlan,
  token: string,
  roles: readonly string[],
  opts: { endpoints: Record<Protocol, Endpoint>; concurrency: number; timeoutMs: number; runbook: string; trace: ((prefix: string) => Trace) | undefined; proxy: (host: string) => URL | undefined },
): Promise<CheckResult[]> {
  const work = env.mailboxes.flatMap((mb) => mb.protocols.map((protocol) => ({ mailbox: mb.address, protocol })));
  return mapBounded(work, opts.concurrency, async ({ mailbox, protocol }) => {
    const ep = opts.endpoints[protocol];
    const trace = opts.trace?.(`${label[protocol]} ${mailbox}`);
    const proxy = opts.proxy?.(ep.host);
    const outcome = await login[protocol]({ host: ep.host, port: ep.port, user: mailbox, accessToken: token, timeoutMs: opts.timeoutMs, trace, proxy });
    const base = { id: `login-${protocol}-${mailbox}`, title: `${label[protocol]} ${mailbox}`, login: { mailbox, protocol, ...ep } };
    if (outcome.ok) return { ...base, status: 'pass' as const, detail: outcome.detail };
    if ('network' in outcome) return { ...base, status: 'fail' as const, detail: outcome.network.detail, diagnosis: diagnosed(env, 'network', opts.runbook) };
    return { ...base, status: 'fail' as const, retryLater: true, ...explain(env, protocol, outcome.reply, roles, opts.runbook) };
  });
}

/** Which diagnosis a server reply points to, narrowed by what the token check already proved. */
function explain(env: EnvironmentPlan, protocol: Protocol, reply: string, roles: readonly string[], runbook: string): Pick<CheckResult, 'detail' | 'diagnosis'> {
  const text = reply.trim();
  if (/authenticated but not connected/i.test(text)) return { detail: text, diagnosis: diagnosed(env, 'imap-not-connected', runbook) };
  if (/5\.7\.139|SmtpClientAuthentication is disabled/i.test(text)) return { detail: text, diagnosis: diagnosed(env, 'smtp-auth-disabled', runbook) };
  if (/5\.2\.252|SendAsDenied|5\.7\.60/i.test(text)) return { detail: text, diagnosis: diagnosed(env, 'smtp-send-as-denied', runbook) };
  const d = diagnosed(env, 'auth-failed', runbook);
  const rbacSmtp = protocol === 'smtp' && env.smtp.rbac;
  const role = permissions[protocol].name;
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
