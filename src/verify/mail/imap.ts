import { classifyNetworkError, withTimeout } from '../network-failure.ts';
import type { LoginOutcome, LoginTarget, Trace } from './login-result.ts';

/** Logs in with XOAUTH2 over implicit TLS, asks STATUS INBOX (read-only), logs out. */
export async function imapLogin(t: LoginTarget): Promise<LoginOutcome> {
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: t.host,
    port: t.port,
    secure: true,
    auth: { user: t.user, accessToken: t.accessToken },
    logger: t.trace ? traceLogger(t.trace) : false,
    connectionTimeout: t.timeoutMs,
    greetingTimeout: t.timeoutMs,
    socketTimeout: t.timeoutMs,
    disableAutoIdle: true,
    ...(t.proxy ? { proxy: t.proxy.href } : {}),
  });
  client.on('error', () => undefined); // reported through the awaited calls below
  let authenticated = false;
  try {
    await withTimeout(client.connect(), t.timeoutMs, () => client.close());
    authenticated = true;
    const status = await withTimeout(client.status('INBOX', { messages: true }), t.timeoutMs, () => client.close());
    await withTimeout(client.logout(), t.timeoutMs, () => client.close()).catch(() => undefined);
    const messages = status ? status.messages : undefined;
    return { ok: true, detail: `logged in; INBOX has ${messages ?? '?'} message${messages === 1 ? '' : 's'}` };
  } catch (e) {
    const err = e as { authenticationFailed?: boolean; responseText?: string; response?: string; code?: string; message?: string };
    const reply = err.responseText ?? err.response ?? '';
    if (err.authenticationFailed || reply) return { ok: false, stage: authenticated && !err.authenticationFailed ? 'after-auth' : 'auth', reply: reply || 'authentication failed' };
    if (/not connected/i.test(err.message ?? '')) return { ok: false, stage: 'after-auth', reply: err.message! };
    return { ok: false, network: classifyNetworkError(e, `${t.host}:${t.port}`) };
  } finally {
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
