import { createServer } from 'node:https';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { GraphError, route, type Route } from './graph-routes.ts';
export type { Route } from './graph-routes.ts';
import { listenLoopback } from './https-listen.ts';
import type { GraphTenant } from './graph-directory.ts';

// A fake Microsoft Graph v1.0 over HTTPS on loopback, read-only: the few GETs `verify --tenant` makes, answered from
// a GraphTenant in the documented shapes and with Graph's error body {error: {code, message, innerError}}. It
// checks the bearer token (signed by the fake Entra, audience Graph, this tenant, not expired) and the delegated
// scope each call needs, pages appRoleAssignments with @odata.nextLink, and can throttle (429 + Retry-After), stay
// silent, answer slowly or answer without end. Its request log holds no token.

export interface GraphBehaviour {
  tenant: GraphTenant;
  /** Page size of appRoleAssignments when the client sends no $top (Graph's own default is not documented). */
  pageSize?: number;
  /** The first `count` requests whose path starts with `path` answer 429 with this Retry-After (none if absent). */
  throttle?: { path: string; count: number; retryAfter?: string }[];
  /** Requests whose path starts with `path` (every request without one) are not answered, late, or without end. */
  misbehave?: { path?: string } & ({ silent: true } | { delayMs: number } | { oversizeBytes: number });
  /** Routes that answer 403 though the token has the scope: the signed-in user lacks a directory role. */
  denyRoutes?: Route[];
  /** Where @odata.nextLink points (Graph's own host in real answers; the fake's URL by default). */
  nextLinkBase?: string;
}

export interface GraphRequest {
  method: string;
  /** The decoded path and query, e.g. /v1.0/applications(appId='…') or $filter=appId eq '…'. */
  path: string;
  query: Record<string, string>;
  route: Route | null;
  status: number;
  /** The token's scopes (never the token). */
  scopes: string[];
}

export interface FakeGraph {
  url: string;
  requests: GraphRequest[];
  behaviour: GraphBehaviour;
  close(): Promise<void>;
}

export async function startFakeGraph(
  tls: { key: string; cert: string },
  behaviour: GraphBehaviour,
): Promise<FakeGraph> {
  const requests: GraphRequest[] = [];
  const thrown = new Map<string, number>();
  const server = createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const path = safeDecode(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const entry: GraphRequest = { method: req.method ?? '', path, query, route: null, status: 0, scopes: [] };
    requests.push(entry);
    req.resume();
    const b = fake.behaviour;
    const odd = b.misbehave && path.startsWith(b.misbehave.path ?? '') ? b.misbehave : undefined;
    if (odd && 'silent' in odd) return; // the connection stays open, nothing is sent
    const answer = () => {
      const clientRequestId = String(req.headers['client-request-id'] ?? randomUUID());
      const headers = { 'request-id': randomUUID(), 'client-request-id': clientRequestId };
      try {
        const throttle = b.throttle?.find((t) => path.startsWith(t.path));
        if (throttle && (thrown.get(throttle.path) ?? 0) < throttle.count) {
          thrown.set(throttle.path, (thrown.get(throttle.path) ?? 0) + 1);
          throw new GraphError(
            429,
            'TooManyRequests',
            'Too many requests.',
            throttle.retryAfter === undefined ? {} : { 'retry-after': throttle.retryAfter },
          );
        }
        const body = route(path, query, req.method ?? '', req.headers.authorization, b, entry, fake.url);
        entry.status = 200;
        if (odd && 'oversizeBytes' in odd) return endless(res, headers, body, odd.oversizeBytes);
        res.writeHead(200, { ...headers, 'content-type': contentType });
        res.end(JSON.stringify(body));
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
        entry.status = e.status;
        res.writeHead(e.status, { ...headers, ...e.headers, 'content-type': contentType });
        const date = new Date().toISOString().replace(/\.\d+Z$/, '');
        res.end(
          JSON.stringify({
            error: {
              code: e.code,
              message: e.message,
              innerError: { date, 'request-id': headers['request-id'], 'client-request-id': clientRequestId },
            },
          }),
        );
      }
    };
    if (odd && 'delayMs' in odd) setTimeout(answer, odd.delayMs);
    else answer();
  });
  const listening = await listenLoopback(server);
  const fake: FakeGraph = { ...listening, requests, behaviour };
  return fake;
}

/** A path as Graph reads it (%27 is a quote); a malformed escape stays as sent and matches no route. */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const contentType =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** A valid JSON answer of `size` bytes and more, sent without Content-Length as fast as the client reads. */
function endless(res: ServerResponse, headers: Record<string, string>, body: unknown, size: number): void {
  res.writeHead(200, { ...headers, 'content-type': contentType });
  const text = JSON.stringify(body);
  res.write(`${text.slice(0, -1)},"padding":"`);
  let sent = 0;
  const chunk = 'x'.repeat(64 * 1024);
  const pump = () => {
    while (sent < size) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end('"}');
  };
  res.on('error', () => undefined);
  pump();
}
