import { format } from 'node:util';
import { caps } from '../../input/limits.ts';
import { classifyNetworkError, tooBig } from '../network-failure.ts';
import { openTcp } from './connection.ts';
import type { LoginOutcome, LoginTarget, Trace } from './login-result.ts';
import { starttlsIssuer } from './starttls-issuer.ts';

/** STARTTLS, AUTH XOAUTH2, QUIT: nodemailer's verify() authenticates and sends no mail. */
export async function smtpLogin(t: LoginTarget): Promise<LoginOutcome> {
  const transport = await smtpTransport(t);
  try {
    await transport.verify();
    return { ok: true, detail: 'authenticated (no mail sent)' };
  } catch (e) {
    return smtpFailure(e, t);
  } finally {
    transport.close();
  }
}

/**
 * A nodemailer transport for one session as Exchange Online wants it: STARTTLS required, XOAUTH2, replies bounded
 * in size. The connection is ours (through the proxy if any) and the session ends when `t.signal` aborts: the
 * caller's one wall-clock limit covers it all; nodemailer's own timers are only a fallback behind it.
 */
export async function smtpTransport(t: LoginTarget) {
  const nodemailer = await import('nodemailer');
  const later = t.timeoutMs + 1000;
  const transport = nodemailer.createTransport({
    host: t.host,
    port: t.port,
    secure: false,
    requireTLS: true,
    auth: { type: 'OAuth2', user: t.user, accessToken: t.accessToken },
    connectionTimeout: later,
    greetingTimeout: later,
    socketTimeout: later,
    maxResponseSize: caps.mailLineBytes,
    logger: t.trace ? traceLogger(t.trace) : false,
    debug: Boolean(t.trace),
    getSocket: (_options: unknown, done: (e: Error | null, s?: { connection: import('node:net').Socket }) => void) => {
      openTcp(t).then(
        (connection) => done(null, { connection }),
        (e: Error) => done(e),
      );
    },
  } as Parameters<typeof nodemailer.createTransport>[0]);
  t.signal.addEventListener('abort', () => transport.close(), { once: true });
  return transport;
}

/** A failed SMTP session as a login outcome: the server's reply when there is one, else the network's cause. */
export async function smtpFailure(e: unknown, t: LoginTarget): Promise<Extract<LoginOutcome, { ok: false }>> {
  const err = e as { code?: string; response?: string; responseCode?: number; message?: string };
  if (/exceeds maximum allowed size/i.test(err.message ?? ''))
    return { ok: false, network: tooBig(`${t.host}:${t.port}`, 'a response', caps.mailLineBytes) };
  if (err.response && err.responseCode && err.responseCode >= 400)
    return { ok: false, stage: 'auth', reply: err.response };
  if (err.code === 'EAUTH') return { ok: false, stage: 'auth', reply: err.response ?? 'authentication failed' };
  if (err.code === 'EPROXY') return { ok: false, network: classifyNetworkError(e, `${t.host}:${t.port}`, t.progress) };
  const cause =
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT|ALTNAME/.exec(
      `${err.code ?? ''} ${err.message ?? ''}`,
    )?.[0];
  const failure = () =>
    classifyNetworkError(
      cause ? Object.assign(new Error(err.message), { code: cause }) : e,
      `${t.host}:${t.port}`,
      t.progress,
    );
  if (failure().kind === 'untrusted') t.progress.issuer ??= await starttlsIssuer(t);
  return { ok: false, network: failure() };
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
