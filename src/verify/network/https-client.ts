import { Agent, request } from 'node:https';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { tunnel } from './proxy.ts';
import { classifyNetworkError, timeLimitFailure, tooBig, watchIssuer, type NetworkFailure } from './network-failure.ts';

/** How far one HTTPS exchange may go: everything a server sends is bounded in time and in size. */
export interface HttpsBounds {
  /** Epoch ms at which the request is ended, however slowly the server trickles (a wall-clock limit, not idle time). */
  deadlineAt: number;
  /** The limit as the user set it, for the failure's words: --timeout, or what --deadline left for this step. */
  limit: { ms: number; cause: 'timeout' | 'deadline' };
  /** At most this many bytes of body are read; more ends the request. */
  maxBytes: number;
  /** What the answer is, for a too-big failure ("an answer", "a Graph page"). */
  what?: string;
  /** An http:// proxy: the request goes through a CONNECT tunnel, and TLS is negotiated end to end inside it. */
  proxy?: URL;
  /** Certificate authorities to trust instead of Node's own list (a test server, a TLS-inspecting proxy). */
  ca?: string | Buffer | (string | Buffer)[];
}

export interface HttpsRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** Never logged or shown: a token request's body holds the secret. */
  body?: string;
}

export interface HttpsAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** A request that failed below HTTP: `failure` says what happened in words (classifyNetworkError reads it back). */
export class HttpsFailure extends Error {
  constructor(readonly failure: NetworkFailure) {
    super(failure.detail);
  }
}

/**
 * One HTTPS request, bounded: it keeps the real cause of a network failure (DNS, refused, untrusted certificate and
 * its issuer, proxy), ends when `deadlineAt` is reached and when the body passes `maxBytes`, and rejects only with an
 * HttpsFailure. An HTTP error status is an answer, not a failure: the caller reads what the server said.
 */
export function httpsRequest(req: HttpsRequest, bounds: HttpsBounds): Promise<HttpsAnswer> {
  return new Promise<HttpsAnswer>((resolve, reject) => {
    const u = new URL(req.url);
    const progress: { connected: boolean; lastDataAt?: number; issuer?: string } = { connected: false };
    const controller = new AbortController();
    let settled = false;
    const fail = (failure: NetworkFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      controller.abort();
      r.destroy();
      reject(new HttpsFailure(failure));
    };
    const ca = bounds.ca === undefined ? {} : { ca: bounds.ca };
    const proxy = bounds.proxy;
    const agent =
      proxy &&
      Object.assign(new Agent({ keepAlive: false }), {
        createConnection: (
          o: { host?: string; port?: number; servername?: string },
          done: (e: Error | null, s?: Duplex) => void,
        ) => {
          tunnel(proxy, o.host ?? '', Number(o.port ?? 443), { signal: controller.signal })
            .then((socket) => {
              progress.connected = true;
              const name = o.servername || o.host || '';
              // host: what the certificate is checked against; no SNI for an IP address (RFC 6066).
              const tls = tlsConnect({ socket, host: name, ...(isIP(name) ? {} : { servername: name }), ...ca });
              watchIssuer(tls, progress);
              done(null, tls);
            })
            .catch((e: Error) => done(e));
        },
      });
    const r = request(u, { method: req.method, headers: req.headers, ...(agent ? { agent } : ca) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        progress.lastDataAt = Date.now();
        size += c.length;
        if (size > bounds.maxBytes) return fail(tooBig(u.host, bounds.what ?? 'an answer', bounds.maxBytes));
        chunks.push(c);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (e) => fail(classifyNetworkError(e, u.host, progress)));
    });
    r.on('socket', (socket) => {
      // Bytes of a head that never completes count as an answer in progress, not as silence.
      socket.on('data', () => (progress.lastDataAt = Date.now()));
      if (proxy) return;
      socket.once('connect', () => (progress.connected = true));
      watchIssuer(socket as TLSSocket, progress);
    });
    const timer = setTimeout(
      () => fail(timeLimitFailure(u.host, bounds.limit.ms, progress, bounds.limit.cause)),
      Math.max(0, bounds.deadlineAt - Date.now()),
    );
    r.on('error', (e) => fail(classifyNetworkError(e, u.host, progress)));
    r.end(req.body);
  });
}

/**
 * GET a JSON document with a bearer token (a Microsoft Graph read): the answer's status and its parsed body, or
 * null as the body when it is not JSON. The token is sent, never kept or shown.
 */
export async function getJson(
  url: string,
  bearer: string,
  bounds: HttpsBounds,
): Promise<{ status: number; headers: Record<string, string>; json: unknown }> {
  const answer = await httpsRequest(
    { method: 'GET', url, headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } },
    bounds,
  );
  let json: unknown = null;
  try {
    json = JSON.parse(answer.body.toString('utf8'));
  } catch {
    // Not JSON (an HTML error page of a proxy, say): the status tells the caller what happened.
  }
  return { status: answer.status, headers: answer.headers, json };
}
