import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';
import { caps } from '../../input/limits.ts';
import { issuerOf } from '../network-failure.ts';
import { openTcp } from './connection.ts';
import type { LoginTarget } from './login-result.ts';

/**
 * Who issued the certificate an SMTP server presents after STARTTLS, for the diagnosis of a certificate this machine
 * does not trust. The SMTP client checks the certificate inside its own upgrade, where it cannot be read once
 * refused; so a second connection goes as far as the TLS handshake, reads the issuer without trusting it, and closes.
 * Nothing but EHLO and STARTTLS is sent on it: no credentials, no token.
 */
export async function starttlsIssuer(t: LoginTarget): Promise<string | undefined> {
  let socket: Socket | undefined;
  try {
    socket = await openTcp(t);
    const next = replies(socket);
    if (!(await next()).startsWith('220')) return undefined;
    socket.write('EHLO mail-oauth-runbook\r\n');
    if (!(await next()).startsWith('250')) return undefined;
    socket.write('STARTTLS\r\n');
    if (!(await next()).startsWith('220')) return undefined;
    socket.removeAllListeners('data');
    const plain = socket;
    return await new Promise<string | undefined>((resolve) => {
      const tls = tlsConnect(
        { socket: plain, rejectUnauthorized: false, ...(isIP(t.host) ? {} : { servername: t.host }) },
        () => {
          resolve(issuerOf(tls.getPeerCertificate()));
          tls.destroy();
        },
      );
      tls.on('error', () => resolve(undefined));
      t.signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
  } catch {
    return undefined;
  } finally {
    socket?.destroy();
  }
}

/** Each call resolves with the next complete SMTP reply (its last line, "NNN text"); bounded like every login. */
function replies(socket: Socket): () => Promise<string> {
  let buffer = '';
  const done: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('latin1');
    if (buffer.length > caps.mailLineBytes) return socket.destroy();
    let i: number;
    while ((i = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, i).replace(/\r$/, '');
      buffer = buffer.slice(i + 1);
      if (/^\d{3}(?: |$)/.test(line)) done.push(line);
    }
    if (done.length && waiting) waiting(done.shift()!);
  });
  socket.on('close', () => waiting?.(''));
  return () =>
    new Promise((resolve) => {
      if (done.length) return resolve(done.shift()!);
      waiting = (line) => {
        waiting = undefined;
        resolve(line);
      };
    });
}
