import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getJson, HttpsFailure, httpsRequest, type HttpsBounds } from '../src/verify/network/https-client.ts';
import { tls } from './helpers/world.ts';
import { startFakeProxy } from './helpers/fake-proxy.ts';

// The bounded HTTPS client verify's token request uses, and a Graph read would: on a loopback HTTPS server whose
// certificate only the `ca` given trusts.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end('{}');
let server: Server;
let base = '';
let ca = '';

test.before(async () => {
  const t = await tls();
  ca = t.cert;
  server = createServer(t, (req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.after(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

const bounds = (ms: number, more: Partial<HttpsBounds> = {}): HttpsBounds => ({
  deadlineAt: Date.now() + ms,
  limit: { ms, cause: 'timeout' },
  maxBytes: 64 * 1024,
  ca,
  ...more,
});

/** The failure a request rejected with (it must reject, and only with an HttpsFailure). */
async function failureOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    assert.instance(e, HttpsFailure);
    return (e as HttpsFailure).failure;
  }
  throw new Error('the request did not fail');
}

test('getJson sends the bearer token and reads the JSON answer, trusting the CA given', async () => {
  let auth: string | undefined;
  handler = (req, res) => {
    auth = req.headers.authorization;
    res.writeHead(200, { 'content-type': 'application/json', 'x-ms-request-id': 'r1' });
    res.end(JSON.stringify({ value: [{ id: 'a' }] }));
  };
  const answer = await getJson(`${base}/v1.0/servicePrincipals`, 'token-value', bounds(5000));
  assert.is(auth, 'Bearer token-value');
  assert.is(answer.status, 200);
  assert.is(answer.headers['x-ms-request-id'], 'r1');
  assert.equal(answer.json, { value: [{ id: 'a' }] });
});

test('an HTTP error status is an answer; a body that is not JSON reads as null', async () => {
  handler = (_req, res) => {
    res.writeHead(403);
    res.end('<html>Forbidden</html>');
  };
  const answer = await getJson(`${base}/x`, 't', bounds(5000));
  assert.is(answer.status, 403);
  assert.is(answer.json, null);
});

test('without the CA, the certificate is untrusted and its issuer is named', async () => {
  handler = (_req, res) => res.end('{}');
  const failure = await failureOf(httpsRequest({ method: 'GET', url: `${base}/` }, bounds(5000, { ca: undefined })));
  assert.is(failure.kind, 'untrusted');
  assert.match(failure.detail, 'CN=localhost');
});

test('an endless body is cut at maxBytes', async () => {
  const chunk = Buffer.alloc(16 * 1024, 'x');
  let sent = 0;
  handler = (_req, res) => {
    res.writeHead(200);
    const more = () => {
      while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
      if (!res.destroyed) res.once('drain', more);
    };
    more();
  };
  const failure = await failureOf(
    httpsRequest({ method: 'GET', url: `${base}/` }, bounds(10_000, { maxBytes: 100_000 })),
  );
  assert.is(failure.kind, 'too-big');
  assert.match(failure.detail, 'longer than 100000 bytes');
  assert.ok(sent < 64 * 1024 * 1024, 'the server was stopped before it sent everything');
});

test('a server that trickles is ended at the wall-clock limit, however often it sends', async () => {
  const timers: NodeJS.Timeout[] = [];
  handler = (_req, res) => {
    res.writeHead(200);
    timers.push(setInterval(() => res.write(' '), 50));
  };
  const started = Date.now();
  const failure = await failureOf(httpsRequest({ method: 'GET', url: `${base}/` }, bounds(600)));
  const took = Date.now() - started;
  timers.forEach(clearInterval);
  assert.is(failure.kind, 'silent');
  assert.match(failure.detail, 'still sending');
  assert.ok(took >= 550 && took < 3000, `ended after ${took} ms`);
});

test('a silent server is ended at the deadline, in the words of --deadline when it set the limit', async () => {
  handler = () => undefined; // never answers
  const failure = await failureOf(
    httpsRequest({ method: 'GET', url: `${base}/` }, bounds(300, { limit: { ms: 300, cause: 'deadline' } })),
  );
  assert.is(failure.kind, 'deadline');
});

test('through a proxy: a CONNECT tunnel to the host, TLS end to end with the CA given', async () => {
  handler = (req, res) => res.end(JSON.stringify({ path: req.url }));
  const proxy = await startFakeProxy();
  try {
    const answer = await getJson(`${base}/me`, 't', bounds(5000, { proxy: new URL(proxy.url) }));
    assert.equal(answer.json, { path: '/me' });
    assert.equal(proxy.tunnels, [new URL(base).host]);
  } finally {
    await proxy.close();
  }
});

test('a proxy that refuses the tunnel is named as the cause', async () => {
  const proxy = await startFakeProxy({ refuse: true });
  try {
    const failure = await failureOf(getJson(`${base}/me`, 't', bounds(5000, { proxy: new URL(proxy.url) })));
    assert.is(failure.kind, 'proxy');
    assert.match(failure.detail, 'HTTP 403');
  } finally {
    await proxy.close();
  }
});

test.run();
