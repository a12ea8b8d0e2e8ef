import type { TLSSocket } from 'node:tls';
import { caps } from '../../input/limits.ts';
import { classifyNetworkError, tooBig } from '../network-failure.ts';
import { openTcp, startTls } from './connection.ts';
import type { LoginOutcome, LoginTarget, Trace } from './login-result.ts';
import { xoauth2 } from './xoauth2.ts';

/**
 * A minimal POP3 client over implicit TLS: greeting, AUTH XOAUTH2, STAT, QUIT. No npm POP3 client does XOAUTH2
 * without leaking the SASL line into its errors; this one never keeps what it sends.
 */
export async function popLogin(t: LoginTarget): Promise<LoginOutcome> {
  const conn = new LineConnection(t.trace);
  try {
    await conn.open(t);
    const greeting = await conn.read();
    if (!greeting.startsWith('+OK')) return { ok: false, stage: 'auth', reply: greeting };
    conn.send('AUTH XOAUTH2');
    let reply = await conn.read();
    if (isChallenge(reply)) {
      conn.send(xoauth2(t.user, t.accessToken), { sasl: true });
      reply = await conn.read();
      // A SASL failure may come as a challenge carrying an error; the client answers with an empty line.
      if (isChallenge(reply)) {
        conn.send('');
        reply = await conn.read();
      }
    }
    if (!reply.startsWith('+OK')) return { ok: false, stage: 'auth', reply };
    conn.send('STAT');
    const stat = await conn.read();
    if (!stat.startsWith('+OK')) return { ok: false, stage: 'after-auth', reply: stat };
    conn.send('QUIT');
    await conn.read().catch(() => undefined);
    const count = /^\+OK (\d+)/.exec(stat)?.[1];
    return { ok: true, detail: `logged in; STAT: ${count ?? '?'} message${count === '1' ? '' : 's'}` };
  } catch (e) {
    return { ok: false, network: classifyNetworkError(e, `${t.host}:${t.port}`, t.progress) };
  } finally {
    conn.close();
  }
}

class LineConnection {
  constructor(private readonly trace?: Trace) {}
  private socket?: TLSSocket;
  private buffer = '';
  private received = 0;
  private lines: string[] = [];
  private waiting?: { resolve: (l: string) => void; reject: (e: Error) => void };
  private failure?: Error;

  /** Opens the TLS connection; the time it may take is the login's, enforced by the caller through `t.signal`. */
  async open(t: LoginTarget): Promise<void> {
    const tcp = await openTcp(t);
    return new Promise((resolve, reject) => {
      const socket = startTls(tcp, t, () => resolve());
      this.socket = socket;
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => this.receive(d, `${t.host}:${t.port}`));
      socket.on('error', (e) => {
        this.fail(e);
        reject(e);
      });
      socket.on('close', () => this.fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })));
    });
  }

  /** Splits what arrives into lines; a line or a login's worth of data beyond the caps ends the connection. */
  private receive(d: string, host: string): void {
    this.received += d.length;
    this.buffer += d;
    let i: number;
    while ((i = this.buffer.indexOf('\r\n')) !== -1) {
      this.lines.push(this.buffer.slice(0, i));
      this.buffer = this.buffer.slice(i + 2);
    }
    if (this.buffer.length > caps.mailLineBytes)
      this.fail(Object.assign(new Error('line too long'), { failure: tooBig(host, 'a line', caps.mailLineBytes) }));
    else if (this.received > caps.mailLoginBytes)
      this.fail(
        Object.assign(new Error('too much data'), {
          failure: tooBig(host, 'more data for one login than', caps.mailLoginBytes),
        }),
      );
    this.deliver();
  }

  read(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.deliver();
    });
  }

  send(line: string, opts: { sasl?: boolean } = {}): void {
    this.trace?.('C', opts.sasl ? '[SASL response not shown]' : line);
    this.socket?.write(`${line}\r\n`);
  }

  close(): void {
    this.socket?.destroy();
  }

  private deliver(): void {
    if (!this.waiting) return;
    const w = this.waiting;
    if (this.lines.length) {
      this.waiting = undefined;
      const line = this.lines.shift()!;
      this.trace?.('S', line);
      w.resolve(line);
    } else if (this.failure) {
      this.waiting = undefined;
      w.reject(this.failure);
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.socket?.destroy();
    this.deliver();
  }
}

/** A SASL continuation ("+ " and optional data), as opposed to a "+OK" status. */
const isChallenge = (line: string) => line === '+' || line.startsWith('+ ');
