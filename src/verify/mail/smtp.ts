import { classifyNetworkError, withTimeout } from '../network-failure.ts';
import { format } from 'node:util';
import type { LoginOutcome, LoginTarget, Trace } from './login-result.ts';

/** STARTTLS, AUTH XOAUTH2, QUIT: nodemailer's verify() authenticates and sends no mail. */
export async function smtpLogin(t: LoginTarget): Promise<LoginOutcome> {
  const transport = await smtpTransport(t);
  try {
    await withTimeout(transport.verify(), t.timeoutMs, () => transport.close());
    return { ok: true, detail: 'authenticated (no mail sent)' };
  } catch (e) {
    return smtpFailure(e, t);
  } finally {
    transport.close();
  }
}

/** A nodemailer transport for one session as Exchange Online wants it: STARTTLS required, XOAUTH2, bounded waits. */
export async function smtpTransport(t: LoginTarget) {
  const nodemailer = await import('nodemailer');
  return nodemailer.createTransport({
    host: t.host,
    port: t.port,
    secure: false,
    requireTLS: true,
    auth: { type: 'OAuth2', user: t.user, accessToken: t.accessToken },
    connectionTimeout: t.timeoutMs,
    greetingTimeout: t.timeoutMs,
    socketTimeout: t.timeoutMs,
    logger: t.trace ? traceLogger(t.trace) : false,
    debug: Boolean(t.trace),
    ...(t.proxy ? { proxy: t.proxy.href } : {}),
  });
}

/** A failed SMTP session as a login outcome: the server's reply when there is one, else the network's cause. */
export function smtpFailure(e: unknown, t: LoginTarget): Extract<LoginOutcome, { ok: false }> {
  const err = e as { code?: string; response?: string; responseCode?: number; message?: string };
  if (err.response && err.responseCode && err.responseCode >= 400) return { ok: false, stage: 'auth', reply: err.response };
  if (err.code === 'EAUTH') return { ok: false, stage: 'auth', reply: err.response ?? 'authentication failed' };
  const cause = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|CERT|SELF_SIGNED|ALTNAME/.exec(err.message ?? '')?.[0];
  return { ok: false, network: classifyNetworkError(cause ? Object.assign(new Error(err.message), { code: cause.startsWith('E') ? cause : 'CERT' }) : e, `${t.host}:${t.port}`) };
}

/** nodemailer's logger, reduced to the conversation (entries marked tnx: client or server). */
function traceLogger(trace: Trace) {
  const line = (entry: { tnx?: string }, message: string, ...args: unknown[]) => {
    if (entry?.tnx === 'client' || entry?.tnx === 'server') {
      for (const l of format(message, ...args).split(/\r?\n/)) trace(entry.tnx === 'server' ? 'S' : 'C', l);
    }
  };
  const ignore = () => undefined;
  return { debug: line, info: ignore, warn: ignore, error: ignore, trace: ignore, fatal: ignore, level: ignore };
}
