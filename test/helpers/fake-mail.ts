import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createVerify, type KeyObject } from 'node:crypto';
import type { AddressInfo, Server, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

// smtp-server holds every greeting back 100 ms to catch clients that talk too early; Exchange does not, and the
// delay would dominate login timings. Start sessions at once.
const connectionProto = SMTPConnection.prototype as unknown as {
  init(): void;
  _setListeners(cb: () => void): void;
  connectionReady(): void;
};
connectionProto.init = function init(this: typeof connectionProto) {
  this._setListeners(() => this.connectionReady());
};

// Scripted IMAP and POP3 servers that answer as Exchange Online does, and an smtp-server with XOAUTH2.
// Each checks the token (signature, aud, tid, roles, user) and can be told to fail as a misconfigured tenant would.

export type Protocol = 'imap' | 'pop' | 'smtp';
export type Misbehaviour = 'auth-fail' | 'not-connected' | 'smtp-auth-disabled' | 'hang';

export interface MailBehaviour {
  publicKey: KeyObject;
  tenant: string;
  audience: string;
  /** Mailboxes the app may open (FullAccess); others fail as Exchange does. */
  mailboxes: string[];
  /** Per "protocol:mailbox" override. */
  misbehave?: Record<string, Misbehaviour>;
  /** Delay before answering the login, to measure concurrency. */
  loginDelayMs?: number;
  /** SMTP mailboxes granted through RBAC for Applications: their token needs no SMTP.SendAsApp role. */
  rbacSmtp?: string[];
  /**
   * Shared by all servers: logins in progress at once across every protocol, counted from the moment the SASL
   * response arrives until the server answers it (a socket's close can reach the server after the client has
   * already started its next login, so open connections would over-count).
   */
  tracker?: { current: number; max: number };
  /**
   * SendAs grants: mailbox → the other addresses it may send as (every mailbox may send as itself). Exchange refuses
   * any other From when the message is submitted: after DATA with 554 5.2.252 SendAsDenied, or, with
   * `sendAsRefusal: 'mail-from'`, at MAIL FROM with 550 5.7.60.
   */
  sendAs?: Record<string, string[]>;
  sendAsRefusal?: 'data' | 'mail-from';
}

export interface FakeMailServer {
  port: number;
  /** Most sessions open at once. */
  maxConcurrent: number;
  sessions: number;
  /** Every line received, with SASL payloads kept, so tests can check what reached the server. */
  received: string[];
  /** Messages the SMTP fake accepted: the authenticated mailbox, the From, the recipients and the whole message. */
  accepted: { user: string; from: string; to: string[]; message: string }[];
  close(): Promise<void>;
}

const roleFor: Record<Protocol, string> = { imap: 'IMAP.AccessAsApp', pop: 'POP.AccessAsApp', smtp: 'SMTP.SendAsApp' };

export function checkXoauth2(
  b: MailBehaviour,
  protocol: Protocol,
  user: string,
  token: string,
  opts: { skipRole?: boolean } = {},
): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const ok = createVerify('RSA-SHA256')
    .update(`${parts[0]}.${parts[1]}`)
    .verify(b.publicKey, Buffer.from(parts[2]!, 'base64url'));
  if (!ok) return false;
  const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as {
    aud?: string;
    tid?: string;
    roles?: string[];
    exp?: number;
  };
  if (claims.aud !== b.audience || claims.tid !== b.tenant || (claims.exp ?? 0) * 1000 < Date.now()) return false;
  if (!opts.skipRole && !(claims.roles ?? []).includes(roleFor[protocol])) return false;
  return b.mailboxes.includes(user.toLowerCase());
}

function parseSasl(b64: string): { user: string; token: string } | undefined {
  const m = /^user=([^\x01]*)\x01auth=Bearer ([^\x01]*)\x01\x01$/.exec(Buffer.from(b64, 'base64').toString('utf8'));
  return m ? { user: m[1]!, token: m[2]! } : undefined;
}

function track(server: FakeMailServer, socket: Socket): void {
  server.sessions++;
  server.maxConcurrent = Math.max(server.maxConcurrent, server.sessions);
  socket.once('close', () => server.sessions--);
}

/** Waits the configured login delay while counting this login as in progress. */
async function loginWindow(b: MailBehaviour): Promise<() => void> {
  const t = b.tracker;
  if (t) t.max = Math.max(t.max, ++t.current);
  await new Promise((r) => setTimeout(r, b.loginDelayMs ?? 0));
  let left = false;
  return () => {
    if (t && !left) t.current--;
    left = true;
  };
}

function lineServer(
  tls: { key: string; cert: string },
  onSession: (socket: TLSSocket, state: FakeMailServer) => void,
): Promise<FakeMailServer> {
  const sockets = new Set<Socket>();
  const state: FakeMailServer = {
    port: 0,
    maxConcurrent: 0,
    sessions: 0,
    received: [],
    accepted: [],
    close: async () => undefined,
  };
  const server: Server = createTlsServer(tls, (socket) => {
    sockets.add(socket);
    // Exchange answers a command in one segment; with Nagle on, our two writes (untagged + tagged) would wait for
    // the client's delayed ACK (~40 ms) and make every exchange look slow.
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    track(state, socket);
    onSession(socket, state);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.port = (server.address() as AddressInfo).port;
      state.close = () =>
        new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        });
      resolve(state);
    });
  });
}

function lines(socket: TLSSocket, onLine: (line: string) => unknown): void {
  let buffer = '';
  let chain = Promise.resolve();
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buffer += d;
    let i: number;
    while ((i = buffer.indexOf('\r\n')) !== -1) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      chain = chain.then(async () => void (await onLine(line)));
    }
  });
}

export function startFakeImap(tls: { key: string; cert: string }, b: MailBehaviour): Promise<FakeMailServer> {
  return lineServer(tls, (socket, state) => {
    const send = (s: string) => socket.writable && socket.write(`${s}\r\n`);
    let user = '';
    let authenticated = false;
    let pendingTag: string | undefined;
    const authenticate = async (tag: string, b64: string) => {
      const sasl = parseSasl(b64);
      const done = await loginWindow(b);
      const mis = sasl ? b.misbehave?.[`imap:${sasl.user.toLowerCase()}`] : undefined;
      if (mis === 'hang') return;
      setImmediate(done);
      const notConnected =
        mis === 'not-connected' &&
        sasl &&
        checkXoauth2({ ...b, mailboxes: [sasl.user.toLowerCase()] }, 'imap', sasl.user, sasl.token);
      if (sasl && (notConnected || (mis !== 'auth-fail' && checkXoauth2(b, 'imap', sasl.user, sasl.token)))) {
        user = sasl.user;
        authenticated = !notConnected;
        if (notConnected) user = `!${user}`;
        send(`${tag} OK AUTHENTICATE completed.`);
      } else send(`${tag} NO AUTHENTICATE failed.`);
    };
    send(
      '* OK The Microsoft Exchange IMAP4 service is ready. [TQBXADIAUABSADAAMQBDAEEAMAAwADEAMgAuAG4AYQBtAHAAcgBkADAAMQAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]',
    );
    lines(socket, async (line) => {
      state.received.push(line);
      if (pendingTag) {
        const tag = pendingTag;
        pendingTag = undefined;
        return authenticate(tag, line);
      }
      const [tag = '*', command = '', ...args] = line.split(' ');
      const cmd = command.toUpperCase();
      if (user.startsWith('!') && !['LOGOUT', 'CAPABILITY'].includes(cmd))
        return send(`${tag} BAD User is authenticated but not connected.`);
      switch (cmd) {
        case 'CAPABILITY':
          send(
            `* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+`,
          );
          return send(`${tag} OK CAPABILITY completed.`);
        case 'AUTHENTICATE':
          if (args[0]?.toUpperCase() !== 'XOAUTH2') return send(`${tag} NO AUTHENTICATE failed.`);
          if (args[1]) return authenticate(tag, args[1]);
          pendingTag = tag;
          return send('+ ');
        case 'ID':
          send('* ID NIL');
          return send(`${tag} OK ID completed.`);
        case 'NAMESPACE':
          send('* NAMESPACE (("" "/")) NIL NIL');
          return send(`${tag} OK NAMESPACE completed.`);
        case 'NOOP':
        case 'ENABLE':
          return send(`${tag} OK ${cmd} completed.`);
        case 'LIST':
          if (authenticated) send('* LIST (\\Marked \\HasNoChildren) "/" INBOX');
          return send(`${tag} OK LIST completed.`);
        case 'STATUS':
          if (!authenticated) return send(`${tag} BAD Command received in Invalid state.`);
          send('* STATUS INBOX (MESSAGES 3)');
          return send(`${tag} OK STATUS completed.`);
        case 'LOGOUT':
          send('* BYE Microsoft Exchange Server IMAP4 server signing off.');
          send(`${tag} OK LOGOUT completed.`);
          return void socket.end();
        default:
          return send(`${tag} BAD Command Error. 12`);
      }
    });
  });
}

export function startFakePop(tls: { key: string; cert: string }, b: MailBehaviour): Promise<FakeMailServer> {
  return lineServer(tls, (socket, state) => {
    const send = (s: string) => socket.writable && socket.write(`${s}\r\n`);
    let awaitingSasl = false;
    let authenticated = false;
    send(
      '+OK The Microsoft Exchange POP3 service is ready. [UABSADAAMQBDAEEAMAAwADEAMgAuAG4AYQBtAHAAcgBkADAAMQAuAHAAcgBvAGQA]',
    );
    lines(socket, async (line) => {
      state.received.push(line);
      if (awaitingSasl) {
        awaitingSasl = false;
        const sasl = parseSasl(line);
        const done = await loginWindow(b);
        const mis = sasl ? b.misbehave?.[`pop:${sasl.user.toLowerCase()}`] : undefined;
        if (mis === 'hang') return;
        setImmediate(done);
        if (sasl && mis !== 'auth-fail' && checkXoauth2(b, 'pop', sasl.user, sasl.token)) {
          authenticated = true;
          return send('+OK User successfully authenticated.');
        }
        return send('-ERR Authentication failure: unknown user name or bad password.');
      }
      const cmd = line.split(' ')[0]!.toUpperCase();
      if (cmd === 'AUTH' && /XOAUTH2/i.test(line)) {
        awaitingSasl = true;
        return send('+ ');
      }
      if (cmd === 'STAT') return send(authenticated ? '+OK 2 4096' : '-ERR Command is not valid in this state.');
      if (cmd === 'CAPA') return send('+OK\r\nTOP\r\nUIDL\r\nSASL PLAIN XOAUTH2\r\nUSER\r\n.');
      if (cmd === 'QUIT') {
        send('+OK Microsoft Exchange Server POP3 server signing off.');
        return void socket.end();
      }
      return send('-ERR Protocol error. 14');
    });
  });
}

export function startFakeSmtp(tls: { key: string; cert: string }, b: MailBehaviour): Promise<FakeMailServer> {
  const state: FakeMailServer = {
    port: 0,
    maxConcurrent: 0,
    sessions: 0,
    received: [],
    accepted: [],
    close: async () => undefined,
  };
  const mayAs = (user: string, from: string) =>
    from.toLowerCase() === user || (b.sendAs?.[user] ?? []).map((a) => a.toLowerCase()).includes(from.toLowerCase());
  const server = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    secure: false,
    name: 'BN9PR03CA0001.outlook.office365.com',
    banner: 'Microsoft ESMTP MAIL Service ready',
    authMethods: ['XOAUTH2'],
    disableReverseLookup: true, // smtp-server otherwise delays its greeting by a reverse DNS lookup of 127.0.0.1
    logger: false,
    disabledCommands: [],
    onConnect(_session, cb) {
      // The raw socket's close is not seen after STARTTLS, so sessions are counted with smtp-server's own hooks.
      state.sessions++;
      state.maxConcurrent = Math.max(state.maxConcurrent, state.sessions);
      cb();
    },
    onClose() {
      state.sessions--;
    },
    async onAuth(auth, _session, cb) {
      const user = (auth.username ?? '').toLowerCase();
      state.received.push(`AUTH ${auth.method} ${auth.username} ${auth.accessToken ?? ''}`);
      const done = await loginWindow(b);
      const mis = b.misbehave?.[`smtp:${user}`];
      if (mis === 'hang') return;
      setImmediate(done);
      if (mis === 'smtp-auth-disabled') {
        return cb(
          Object.assign(
            new Error(
              '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [BN9PR03CA0001.namprd03.prod.outlook.com]',
            ),
            { responseCode: 535 },
          ),
        );
      }
      if (mis !== 'auth-fail' && checkXoauth2(b, 'smtp', user, auth.accessToken ?? '', { skipRole: rbacSkip(b, user) }))
        return cb(null, { user });
      return cb(
        Object.assign(new Error('5.7.3 Authentication unsuccessful [BN9PR03CA0001.namprd03.prod.outlook.com]'), {
          responseCode: 535,
        }),
      );
    },
    onMailFrom(address, session, cb) {
      const user = String(session.user ?? '');
      if (!user)
        return cb(
          Object.assign(
            new Error('5.7.57 Client not authenticated to send mail. [BN9PR03CA0001.namprd03.prod.outlook.com]'),
            { responseCode: 530 },
          ),
        );
      if (b.sendAsRefusal === 'mail-from' && !mayAs(user, address.address)) {
        return cb(
          Object.assign(
            new Error(
              '5.7.60 SMTP; Client does not have permissions to send as this sender [BN9PR03CA0001.namprd03.prod.outlook.com]',
            ),
            { responseCode: 550 },
          ),
        );
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const user = String(session.user ?? '');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        if (!mayAs(user, from)) {
          return cb(
            Object.assign(
              new Error(
                `5.2.252 SendAsDenied; ${user} not allowed to send as ${from}; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BN9PR03CA0001.namprd03.prod.outlook.com]`,
              ),
              { responseCode: 554 },
            ),
          );
        }
        state.accepted.push({
          user,
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
          message: Buffer.concat(chunks).toString('utf8'),
        });
        cb(
          null,
          `2.0.0 OK <${state.accepted.length}@BN9PR03MB0001.namprd03.prod.outlook.com> [Hostname=BN9PR03MB0001.namprd03.prod.outlook.com]`,
        );
      });
    },
  });
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.port = (server.server.address() as AddressInfo).port;
      state.close = () => new Promise((r) => server.close(() => r()));
      resolve(state);
    });
  });
}

/** With RBAC for Applications, Exchange grants SMTP by role assignment: the token carries no SMTP.SendAsApp role. */
const rbacSkip = (b: MailBehaviour, user: string) => Boolean(b.rbacSmtp?.includes(user));
