import { test } from 'uvu';
import * as assert from 'uvu/assert';
import tlsModule, { createServer as createTlsServer, rootCertificates } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { xoauth2 } from '../src/verify/network/mail/xoauth2.ts';
import { popLogin } from '../src/verify/network/mail/pop3.ts';
import { limited, mapBounded } from '../src/verify/checks/logins.ts';
import { Budget } from '../src/verify/input/limits.ts';
import { decodeJwtPayload, safeClaims } from '../src/verify/checks/jwt.ts';
import { redactor, withoutSasl } from '../src/verify/report/redact.ts';
import { tls } from './helpers/world.ts';

test('xoauth2 matches the Microsoft test vector', () => {
  assert.is(
    xoauth2('test@contoso.onmicrosoft.com', 'EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA'),
    'dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0ozVmUwYmpMQldaV0NjbFJDM0VvQUEBAQ==',
  );
});

/** A scripted POP3 server: each received line is answered by the script; NODE_EXTRA_CA_CERTS is not needed in-process. */
async function scripted(
  script: (line: string, send: (s: string) => void, end: () => void) => void,
  greeting = '+OK ready',
) {
  const t = await tls();
  const received: string[] = [];
  const server = createTlsServer(t, (socket) => {
    socket.on('error', () => undefined);
    socket.write(`${greeting}\r\n`);
    let buf = '';
    socket.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\r\n')) !== -1) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        received.push(line);
        script(
          line,
          (s) => socket.write(`${s}\r\n`),
          () => socket.destroy(),
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, received, close: () => new Promise((r) => server.close(r)) };
}

const target = (port: number) => ({
  host: '127.0.0.1',
  port,
  user: 'a@b.co',
  accessToken: 'tok.en.value',
  timeoutMs: 2000,
  signal: new AbortController().signal,
  progress: { connected: false, received: false },
});

test('POP3: login, STAT and QUIT; a SASL challenge after failure gets an empty answer; nothing sent is kept', async () => {
  // The client verifies certificates; in this process the loopback certificate is added to the trusted ones.
  const original = tlsModule.createSecureContext;
  const { cert: ca } = await tls();
  tlsModule.createSecureContext = ((o: tlsModule.SecureContextOptions = {}) =>
    original({ ...o, ca: [...rootCertificates, ca] })) as typeof original;
  try {
    const ok = await scripted((line, send) => {
      if (line === 'AUTH XOAUTH2') send('+ ');
      else if (line.startsWith('STAT')) send('+OK 1 10');
      else if (line === 'QUIT') send('+OK bye');
      else send('+OK User successfully authenticated.');
    });
    assert.equal(await popLogin(target(ok.port)), { ok: true, detail: 'logged in; STAT: 1 message' });
    assert.equal(ok.received, ['AUTH XOAUTH2', xoauth2('a@b.co', 'tok.en.value'), 'STAT', 'QUIT']);
    await ok.close();

    const fail = await scripted((line, send) => {
      if (line === 'AUTH XOAUTH2') send('+ ');
      else if (line === '') send('-ERR Authentication failure: unknown user name or bad password.');
      else send('+ eyJzdGF0dXMiOiI0MDEifQ==');
    });
    const r = await popLogin(target(fail.port));
    assert.equal(r, {
      ok: false,
      stage: 'auth',
      reply: '-ERR Authentication failure: unknown user name or bad password.',
    });
    assert.not.ok(JSON.stringify(r).includes('tok.en.value'));
    await fail.close();

    const closes = await scripted((_l, _s, end) => end());
    const c = await popLogin(target(closes.port));
    assert.ok(!c.ok && 'network' in c && c.network.kind === 'reset', JSON.stringify(c));
    await closes.close();

    const silent = await scripted(() => undefined);
    const started = Date.now();
    const s = await limited(popLogin, target(silent.port), new Budget(1200, undefined));
    assert.ok(!s.ok && 'network' in s && s.network.kind === 'silent', JSON.stringify(s));
    assert.match(JSON.stringify(s), /connected to 127\.0\.0\.1:\d+, then no answer within 1\.2 s/);
    assert.ok(Date.now() - started < 1200 + 500, `limit 1200 ms, took ${Date.now() - started} ms`);
    await silent.close();

    const rude = await scripted(() => undefined, '-ERR go away');
    assert.equal(await popLogin(target(rude.port)), { ok: false, stage: 'auth', reply: '-ERR go away' });
    await rude.close();
  } finally {
    tlsModule.createSecureContext = original;
  }
});

test('POP3: an untrusted certificate is refused (TLS is always verified)', async () => {
  const s = await scripted(() => undefined);
  const r = await popLogin(target(s.port));
  assert.ok(!r.ok && 'network' in r && r.network.kind === 'untrusted', JSON.stringify(r));
  assert.match(
    JSON.stringify(r),
    /not trusted by Node\.js here \(DEPTH_ZERO_SELF_SIGNED_CERT\); it was issued by CN=localhost/,
  );
  await s.close();
});

test('mapBounded keeps order and never runs more than the limit', async () => {
  let running = 0;
  let most = 0;
  const out = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, n * 3));
    running--;
    return n * 10;
  });
  assert.equal(out, [50, 10, 40, 20, 30, 0, 60]);
  assert.is(most, 3);
});

test('JWT payload decoding and the claims kept for reports', () => {
  const token = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ tid: 't', appid: 'a', roles: ['IMAP.AccessAsApp'], unique: 'x' })).toString('base64url')}.sig`;
  assert.equal(safeClaims(decodeJwtPayload(token)!), { tid: 't', appid: 'a', roles: ['IMAP.AccessAsApp'] });
  assert.is(decodeJwtPayload('not-a-jwt'), undefined);
  assert.is(decodeJwtPayload('a.!!!.c'), undefined);
});

test('withoutSasl removes client SASL responses and nothing else', () => {
  assert.is(
    withoutSasl('3 AUTHENTICATE XOAUTH2 dXNlcj1hAWF1dGg9QmVhcmVyIHQBAQ=='),
    '3 AUTHENTICATE XOAUTH2 [SASL response not shown]',
  );
  assert.is(withoutSasl('AUTH XOAUTH2 dXNlcj1h'), 'AUTH XOAUTH2 [SASL response not shown]');
  assert.is(withoutSasl('dXNlcj1hAWF1dGg9QmVhcmVyIHQBAQ=='), '[SASL response not shown]');
  assert.is(withoutSasl('AUTH XOAUTH2'), 'AUTH XOAUTH2');
  assert.is(withoutSasl('1 CAPABILITY'), '1 CAPABILITY');
});

test('the redactor removes secrets in plain, base64 and URL-encoded form', () => {
  const r = redactor(() => ['s3cr3t~Q+/=']);
  assert.is(
    r(`a s3cr3t~Q+/= b ${Buffer.from('s3cr3t~Q+/=').toString('base64')} c ${encodeURIComponent('s3cr3t~Q+/=')}`),
    'a [REDACTED] b [REDACTED] c [REDACTED]',
  );
});

test('the redactor removes any run of 12 characters of a secret, in each encoding; 11 stay', () => {
  const secret = 'Ab3~Cd4.Ef5_Gh6-Ij7~Kl8.Mn9_Op0-Qr';
  const r = redactor(() => [secret]);
  const b64 = (v: string) => Buffer.from(v).toString('base64');
  const encodings: [string, (v: string) => string][] = [
    ['plain', (v) => v],
    ['JSON', (v) => JSON.stringify(v).slice(1, -1)],
    ['URL', encodeURIComponent],
    ['form', (v) => new URLSearchParams({ s: v }).toString().slice(2)],
    ['hex', (v) => Buffer.from(v).toString('hex')],
    ['HEX', (v) => Buffer.from(v).toString('hex').toUpperCase()],
    ['base64', b64],
    ['base64url', (v) => Buffer.from(v).toString('base64url')],
    ['base64, 1 byte before', (v) => b64(`x${v}`)],
    ['base64, 2 bytes before', (v) => b64(`xy${v}`)],
  ];
  for (let start = 0; start + 12 <= secret.length; start += 5) {
    const run = secret.slice(start, start + 12);
    for (const [name, encode] of encodings) {
      const out = r(`echo: ${encode(run)} end`);
      assert.match(out, /^echo: \[REDACTED\] end$/, `${name} of ${run}: ${out}`);
    }
  }
  const eleven = secret.slice(3, 14);
  assert.is(r(`echo: ${eleven} end`), `echo: ${eleven} end`, 'a run of 11 is not the secret');
  assert.is(r(`a ${secret.slice(0, 20)}, b ${secret.slice(15)}`), 'a [REDACTED], b [REDACTED]');
});

test.run();
