import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { tunnel } from '../proxy.ts';
import { watchIssuer } from '../network-failure.ts';
import type { LoginTarget, Progress } from './login-result.ts';

/**
 * The TCP connection of one login, direct or through the proxy's tunnel, made by us for every protocol so that the
 * login's one time limit (its AbortSignal) covers it and we know whether the server was reached at all.
 */
export async function openTcp(t: LoginTarget): Promise<Socket> {
  const socket = t.proxy
    ? await tunnel(t.proxy, t.host, t.port, { signal: t.signal })
    : await new Promise<Socket>((resolve, reject) => {
        const s = netConnect({ host: t.host, port: t.port });
        const abort = () => s.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        t.signal.addEventListener('abort', abort, { once: true });
        s.once('connect', () => {
          s.removeListener('error', reject);
          t.signal.removeEventListener('abort', abort);
          resolve(s);
        });
        s.once('error', reject);
        s.once('close', () => t.signal.removeEventListener('abort', abort));
      });
  // From here, errors surface on the TLS socket (or the client) built on this one.
  socket.on('error', () => undefined);
  t.progress.connected = true;
  t.signal.addEventListener('abort', () => socket.destroy(), { once: true });
  // No 'data' listener here: it would put the socket in flowing mode and take bytes meant for TLS or the client.
  return socket;
}

/** TLS over an open connection, certificate checked against the host name; its issuer is kept for a diagnosis. */
export function startTls(socket: Socket, t: LoginTarget, onSecure?: () => void): TLSSocket {
  const tls = tlsConnect({ socket, host: t.host, ...(isIP(t.host) ? {} : { servername: t.host }) }, onSecure);
  watchIssuer(tls, t.progress);
  tls.on('data', () => noteData(t.progress));
  t.signal.addEventListener('abort', () => tls.destroy(), { once: true });
  return tls;
}

export function noteData(progress: Progress): void {
  progress.received = true;
  progress.lastDataAt = Date.now();
}
