import type { Socket } from 'node:net';
import { caps } from '../../input/limits.ts';
import { classifyNetworkError, tooBig } from '../network-failure.ts';
import { openTcp, startTls } from './connection.ts';
import type { LoginOutcome, LoginTarget, Trace } from './login-result.ts';

/** Logs in with XOAUTH2 over implicit TLS, asks STATUS INBOX (read-only), logs out. */
export async function imapLogin(t: LoginTarget): Promise<LoginOutcome> {
  const { ImapFlow } = await import('imapflow');
  let tcp: Socket;
  try {
    // Opened here, through the proxy if any, so the login's one time limit covers it (imapflow's own timers restart
    // at each phase).
    tcp = await openTcp(t);
  } catch (e) {
    return { ok: false, network: classifyNetworkError(e, `${t.host}:${t.port}`, t.progress) };
  }
  const later = t.timeoutMs + 1000; // imapflow's timers are a fallback: the caller's wall-clock limit comes first
  const client = new ImapFlow({
    host: t.host,
    port: t.port,
    secure: true,
    auth: { user: t.user, accessToken: t.accessToken },
    logger: t.trace ? traceLogger(t.trace) : false,
    connectionTimeout: later,
    greetingTimeout: later,
    socketTimeout: later,
    disableAutoIdle: true,
    maxLineLength: caps.mailLineBytes,
    maxLiteralSize: caps.mailLineBytes,
    maxResponseSize: caps.mailLineBytes * 2,
    transport: { connect: (_options, onConnect) => startTls(tcp, t, onConnect) as never },
  });
  client.on('error', () => undefined); // reported through the awaited calls below
  const close = () => client.close();
  t.signal.addEventListener('abort', close, { once: true });
  let authenticated = false;
  try {
    await client.connect();
    authenticated = true;
    const status = await client.status('INBOX', { messages: true });
    await client.logout().catch(() => undefined);
    const messages = status ? status.messages : undefined;
    return { ok: true, detail: `logged in; INBOX has ${messages ?? '?'} message${messages === 1 ? '' : 's'}` };
  } catch (e) {
    const err = e as {
      authenticationFailed?: boolean;
      responseText?: string;
      response?: string;
      code?: string;
      message?: string;
    };
    if (err.code === 'LineTooLarge' || err.code === 'LiteralTooLarge' || err.code === 'ResponseTooLarge')
      return { ok: false, network: tooBig(`${t.host}:${t.port}`, 'a response', caps.mailLineBytes) };
    const reply = err.responseText ?? err.response ?? '';
    if (err.authenticationFailed || reply)
      return {
        ok: false,
        stage: authenticated && !err.authenticationFailed ? 'after-auth' : 'auth',
        reply: reply || 'authentication failed',
      };
    if (/not connected/i.test(err.message ?? '')) return { ok: false, stage: 'after-auth', reply: err.message! };
    return { ok: false, network: classifyNetworkError(e, `${t.host}:${t.port}`, t.progress) };
  } finally {
    t.signal.removeEventListener('abort', close);
    client.close();
  }
}

/** imapflow's logger, reduced to the conversation; imapflow already hides the AUTHENTICATE payload. */
function traceLogger(trace: Trace) {
  const line = (o: { src?: string; msg?: string }) => {
    if (o.src && o.msg) trace(o.src === 's' ? 'S' : 'C', o.msg);
  };
  const ignore = () => undefined;
  return { debug: line, info: ignore, warn: ignore, error: line, trace: ignore, fatal: ignore };
}
