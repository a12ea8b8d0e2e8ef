import type { Protocol } from '../../manifest/types.ts';
import type { EnvironmentPlan } from '../../plan/plan.ts';
import { protocols } from '../../plan/protocols.ts';
import { diagnosed, networkDiagnosed, type RunbookRef } from './diagnose.ts';
import type { Budget } from '../input/limits.ts';
import { timeLimitFailure, TimeoutError, withTimeout } from '../network/network-failure.ts';
import { imapLogin } from '../network/mail/imap.ts';
import type { LoginOutcome, LoginTarget, Progress } from '../network/mail/login-result.ts';
import { popLogin } from '../network/mail/pop3.ts';
import { smtpLogin } from '../network/mail/smtp.ts';
import { mapBounded } from './map-bounded.ts';
import type { CheckResult } from '../report/result.ts';
import type { Endpoint, VerifySettings } from '../input/settings.ts';

export type { Endpoint };
export { mapBounded };

const login: Record<Protocol, (t: LoginTarget) => Promise<LoginOutcome>> = {
  imap: imapLogin,
  pop: popLogin,
  smtp: smtpLogin,
};

export type LoginSettings = Pick<VerifySettings, 'endpoints' | 'concurrency' | 'budget' | 'proxy' | 'trace'> & {
  runbook: RunbookRef;
};

/** A login's target before its time limit is applied (see limited). */
export type UntimedTarget = Omit<LoginTarget, 'timeoutMs' | 'signal' | 'progress'>;

const preload: Record<Protocol, () => Promise<unknown>> = {
  imap: () => import('imapflow'),
  pop: async () => undefined,
  smtp: () => import('nodemailer'),
};

/** Where and how to reach `protocol` for `user` with this token. */
export function loginTarget(s: LoginSettings, protocol: Protocol, user: string, accessToken: string): UntimedTarget {
  const ep = s.endpoints[protocol];
  return {
    host: ep.host,
    port: ep.port,
    user,
    accessToken,
    trace: s.trace?.(`${protocols[protocol].label} ${user}`),
    proxy: s.proxy(ep.host),
  };
}

interface Login {
  mailbox: string;
  protocol: Protocol;
  removed: boolean;
}

/** Every login of an environment: each protocol of each mailbox, the removed ones (which must be refused) last. */
const loginsOf = (env: EnvironmentPlan): Login[] =>
  [...env.mailboxes, ...env.removedMailboxes].flatMap((mb) =>
    mb.protocols.map((protocol) => ({ mailbox: mb.address, protocol, removed: mb.absent })),
  );

const loginCheck = (s: Pick<LoginSettings, 'endpoints'>, { mailbox, protocol, removed }: Login) => ({
  id: `login-${protocol}-${mailbox}`,
  title: `${protocols[protocol].label} ${mailbox}${removed ? ' (removed: must be refused)' : ''}`,
  login: { mailbox, protocol, ...s.endpoints[protocol] },
});

/** The logins that were not tried, each under its own id, so a report still lists every one of them. */
export function skippedLogins(env: EnvironmentPlan, s: Pick<LoginSettings, 'endpoints'>, why: string): CheckResult[] {
  return loginsOf(env).map((l) => ({ ...loginCheck(s, l), status: 'skip', detail: why }));
}

/** One login per mailbox and protocol, `concurrency` at a time, all with the same token; `onCheck` hears each in order. */
export async function loginChecks(
  env: EnvironmentPlan,
  token: string,
  roles: readonly string[],
  s: LoginSettings,
  onCheck?: (c: CheckResult) => void,
): Promise<CheckResult[]> {
  const work = loginsOf(env);
  // The client libraries load before any login's clock starts: loading (half a second on a busy machine) is not
  // the server's time.
  await Promise.all([...new Set(work.map((w) => w.protocol))].map((p) => preload[p]()));
  return mapBounded(
    work,
    s.concurrency,
    async ({ mailbox, protocol, removed }) => {
      const started = Date.now();
      const outcome = await limited(login[protocol], loginTarget(s, protocol, mailbox, token), s.budget);
      const base = { ...loginCheck(s, { mailbox, protocol, removed }), elapsedMs: Date.now() - started };
      return {
        ...base,
        ...(removed ? judgeRemoved(env, mailbox, outcome, s.runbook) : judge(env, protocol, outcome, roles, s.runbook)),
      };
    },
    onCheck,
  );
}

/** state: absent: the login must be refused. One that works means the app still has access the manifest took away. */
function judgeRemoved(
  env: EnvironmentPlan,
  mailbox: string,
  outcome: LoginOutcome,
  runbook: RunbookRef,
): Pick<CheckResult, 'status' | 'detail' | 'diagnosis' | 'retryLater'> {
  if ('network' in outcome)
    return { status: 'fail', detail: outcome.network.detail, diagnosis: diagnosed(env, 'network', runbook) };
  if (!outcome.ok) return { status: 'pass', detail: `refused, as it must be: ${outcome.reply.trim()}` };
  return {
    status: 'fail',
    retryLater: true,
    detail: `logged in, but the manifest marks ${mailbox} state: absent: the app still has access. Run exchange-setup.ps1, which removes it (see the runbook's "Mailboxes removed from this environment")`,
  };
}

/** A session's outcome as a check's status, detail and diagnosis. */
export function judge(
  env: EnvironmentPlan,
  protocol: Protocol,
  outcome: LoginOutcome,
  roles: readonly string[],
  runbook: RunbookRef,
): Pick<CheckResult, 'status' | 'detail' | 'diagnosis' | 'retryLater'> {
  if (outcome.ok) return { status: 'pass', detail: outcome.detail };
  if ('network' in outcome)
    return {
      status: 'fail',
      detail: outcome.network.detail,
      diagnosis: networkDiagnosed(env, outcome.network, runbook),
    };
  return { status: 'fail', retryLater: true, ...explain(env, protocol, outcome.reply, roles, runbook) };
}

/**
 * One session under one wall-clock limit (--timeout, or what is left of --deadline): when it is reached the session
 * is aborted, its connection closed, and the failure says how far it got.
 */
export async function limited(
  fn: (t: LoginTarget) => Promise<LoginOutcome>,
  target: UntimedTarget,
  budget: Budget,
): Promise<LoginOutcome> {
  const host = `${target.host}:${target.port}`;
  const ms = budget.next();
  if (ms === 0)
    return {
      ok: false,
      network: { kind: 'deadline', host, detail: 'not tried: the --deadline ran out before this login could start' },
    };
  const controller = new AbortController();
  const progress: Progress = { connected: false, received: false };
  try {
    return await withTimeout(fn({ ...target, timeoutMs: ms, signal: controller.signal, progress }), ms, () =>
      controller.abort(),
    );
  } catch (e) {
    if (e instanceof TimeoutError)
      return {
        ok: false,
        network: timeLimitFailure(host, ms, progress, budget.cutByDeadline(ms) ? 'deadline' : 'timeout'),
      };
    throw e;
  }
}

/** Which diagnosis a server reply points to, narrowed by what the token check already proved. */
function explain(
  env: EnvironmentPlan,
  protocol: Protocol,
  reply: string,
  roles: readonly string[],
  runbook: RunbookRef,
): Pick<CheckResult, 'detail' | 'diagnosis'> {
  const text = reply.trim();
  if (/authenticated but not connected/i.test(text))
    return { detail: text, diagnosis: diagnosed(env, 'imap-not-connected', runbook) };
  if (/5\.7\.139|SmtpClientAuthentication is disabled/i.test(text))
    return { detail: text, diagnosis: diagnosed(env, 'smtp-auth-disabled', runbook) };
  if (/5\.2\.252|SendAsDenied|5\.7\.60/i.test(text))
    return { detail: text, diagnosis: diagnosed(env, 'smtp-send-as-denied', runbook) };
  const d = diagnosed(env, 'auth-failed', runbook);
  const rbacSmtp = protocol === 'smtp' && env.smtp.rbac;
  const role = protocols[protocol].role.name;
  if (!rbacSmtp && !roles.includes(role)) {
    return { detail: `${text} (the token lacks ${role})`, diagnosis: diagnosed(env, 'missing-role', runbook) };
  }
  // The token carries what it needs, so the cause is on the Exchange side: keep only those steps.
  const exchangeSide = rbacSmtp
    ? ['register-service-principal', 'assign-smtp-rbac']
    : ['register-service-principal', 'grant-mailbox-access'];
  return {
    detail: `${text} (the token is fine${rbacSmtp ? '' : ` and carries ${role}`}: check the service principal, its Object ID and the ${rbacSmtp ? 'RBAC role assignment' : 'mailbox permission'})`,
    diagnosis: { ...d, steps: d.steps.filter((s) => exchangeSide.includes(s.id)) },
  };
}
