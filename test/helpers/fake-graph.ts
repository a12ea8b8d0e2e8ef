import { createServer } from 'node:https';
import type { ServerResponse } from 'node:http';
import { createVerify, randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { keys } from './fake-entra.ts';
import { graphResource } from './fake-entra-user.ts';
import type { GraphTenant } from './graph-tenant.ts';

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

export type Route =
  | 'application'
  | 'applications'
  | 'servicePrincipal'
  | 'servicePrincipals'
  | 'appRoleAssignments'
  | 'appManagementPolicy'
  | 'securityDefaults'
  | 'organization';

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

const readApps = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
/** Delegated scopes that allow each call, least privileged first (Graph's permission tables for each API page). */
const needs: Record<Route, string[]> = {
  application: readApps,
  applications: readApps,
  servicePrincipal: readApps,
  servicePrincipals: readApps,
  appRoleAssignments: readApps,
  appManagementPolicy: [
    'Policy.Read.ApplicationConfiguration',
    'Policy.Read.All',
    'Policy.ReadWrite.ApplicationConfiguration',
  ],
  securityDefaults: ['Policy.Read.All', 'Policy.ReadWrite.SecurityDefaults'],
  organization: ['User.Read', 'Organization.Read.All', 'Directory.Read.All'],
};

class GraphError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export async function startFakeGraph(
  tls: { key: string; cert: string },
  behaviour: GraphBehaviour,
): Promise<FakeGraph> {
  const requests: GraphRequest[] = [];
  const thrown = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const path = decodeURIComponent(url.pathname);
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
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake: FakeGraph = {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    behaviour,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  return fake;
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

/** Checks the bearer token as Graph does and returns its delegated scopes and app roles. */
function permissions(authorization: string | undefined, b: GraphBehaviour): string[] {
  const invalid = (message: string) =>
    new GraphError(401, 'InvalidAuthenticationToken', message, {
      'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    });
  const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw invalid('Access token is empty.');
  const parts = token.split('.');
  const signed =
    parts.length === 3 &&
    createVerify('RSA-SHA256')
      .update(`${parts[0]}.${parts[1]}`)
      .verify(keys.publicKey, Buffer.from(parts[2]!, 'base64url'));
  if (!signed) throw invalid('Access token validation failure.');
  const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as {
    aud?: string;
    tid?: string;
    exp?: number;
    scp?: string;
    roles?: string[];
  };
  if (claims.aud !== graphResource && claims.aud !== '00000003-0000-0000-c000-000000000000')
    throw invalid('Access token validation failure. Invalid audience.');
  if ((claims.exp ?? 0) * 1000 < Date.now()) throw invalid('Lifetime validation failed, the token is expired.');
  if (claims.tid !== b.tenant.tenantId) throw invalid('Access token validation failure.');
  return [...(claims.scp ?? '').split(' ').filter(Boolean), ...(claims.roles ?? [])];
}

const context = (fragment: string) => `${graphResource}/v1.0/$metadata#${fragment}`;
const notFound = (key: string) =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** An OData string literal's value ('' is a quote) or undefined. */
const literal = (s: string) => /^'((?:[^']|'')*)'$/.exec(s)?.[1]?.replace(/''/g, "'");

function select<T extends object>(o: T, query: Record<string, string>): Partial<T> {
  if (!query.$select) return o;
  const keep = query.$select.split(',').map((s) => s.trim());
  return Object.fromEntries(Object.entries(o).filter(([k]) => keep.includes(k))) as Partial<T>;
}

function route(
  path: string,
  query: Record<string, string>,
  method: string,
  authorization: string | undefined,
  b: GraphBehaviour,
  entry: GraphRequest,
  self: string,
): unknown {
  const t = b.tenant;
  const m =
    /^\/v1\.0\/(applications|servicePrincipals)(?:\(appId=([^)]*)\))?(?:\/([^/]+)\/(appRoleAssignments))?$/i.exec(path);
  const fixed: Record<string, Route> = {
    '/v1.0/policies/defaultappmanagementpolicy': 'appManagementPolicy',
    '/v1.0/policies/identitysecuritydefaultsenforcementpolicy': 'securityDefaults',
    '/v1.0/organization': 'organization',
  };
  let r: Route | undefined = fixed[path.toLowerCase()];
  if (m) {
    const apps = m[1]!.toLowerCase() === 'applications';
    if (m[4]) r = apps ? undefined : 'appRoleAssignments';
    else if (m[2] !== undefined) r = apps ? 'application' : 'servicePrincipal';
    else r = apps ? 'applications' : 'servicePrincipals';
  }
  if (!r) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`);
  entry.route = r;
  if (method !== 'GET')
    throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  const granted = permissions(authorization, b);
  entry.scopes = granted;
  if (!needs[r].some((s) => granted.includes(s)) || b.denyRoutes?.includes(r))
    throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const collection = m && m[1]!.toLowerCase() === 'applications' ? t.applications : t.servicePrincipals;
  switch (r) {
    case 'application':
    case 'servicePrincipal': {
      const appId = literal(m![2]!);
      if (appId === undefined) throw new GraphError(400, 'Request_BadRequest', `Invalid object identifier '${m![2]}'.`);
      const found = collection.find((o) => o.appId === appId);
      if (!found) throw notFound(appId);
      return {
        '@odata.context': context(`${r === 'application' ? 'applications' : 'servicePrincipals'}/$entity`),
        ...select(found, query),
      };
    }
    case 'applications':
    case 'servicePrincipals': {
      let items: object[] = collection;
      if (query.$filter !== undefined) {
        const f = /^appId eq (.+)$/.exec(query.$filter.trim());
        const appId = f && literal(f[1]!);
        if (appId === undefined || appId === null)
          throw new GraphError(
            400,
            'Request_UnsupportedQuery',
            `Unsupported or invalid query filter clause specified for property 'appId' of resource '${r}'.`,
          );
        items = collection.filter((o) => o.appId === appId);
      }
      return { '@odata.context': context(r), value: items.map((o) => select(o, query)) };
    }
    case 'appRoleAssignments': {
      const sp = t.servicePrincipals.find((s) => s.id === m![3]);
      if (!sp) throw notFound(m![3]!);
      const all = t.appRoleAssignments.filter((a) => a.principalId === sp.id);
      let offset = 0;
      let top = Math.min(Number(query.$top) || b.pageSize || 100, 999);
      if (query.$skiptoken !== undefined) {
        const page = /^X'(\d+)-(\d+)'$/.exec(query.$skiptoken);
        if (!page)
          throw new GraphError(
            400,
            'Directory_ExpiredPageToken',
            'The specified page token value has expired and can no longer be included in your request.',
          );
        [offset, top] = [Number(page[1]), Number(page[2])];
      }
      const value = all.slice(offset, offset + top).map((a) => select(a, query));
      const next = offset + top < all.length ? `X'${offset + top}-${top}'` : undefined;
      return {
        '@odata.context': context(`servicePrincipals('${sp.id}')/appRoleAssignments`),
        ...(next
          ? {
              '@odata.nextLink': `${b.nextLinkBase ?? self}/v1.0/servicePrincipals/${sp.id}/appRoleAssignments?$skiptoken=${encodeURIComponent(next)}`,
            }
          : {}),
        value,
      };
    }
    case 'appManagementPolicy':
      return {
        '@odata.context': context('policies/defaultAppManagementPolicy/$entity'),
        id: '00000000-0000-0000-0000-000000000000',
        displayName: 'Default app management tenant policy',
        description:
          'Default tenant policy that enforces app management restrictions on applications and service principals. To apply policy to targeted resources, create a new policy under appManagementPolicies collection.',
        isEnabled: t.appManagementPolicy.isEnabled,
        applicationRestrictions: { passwordCredentials: t.appManagementPolicy.passwordCredentials, keyCredentials: [] },
        servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
      };
    case 'securityDefaults':
      return {
        '@odata.context': context('policies/identitySecurityDefaultsEnforcementPolicy'),
        id: '00000000-0000-0000-0000-000000000005',
        displayName: 'Security Defaults',
        description:
          'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
        isEnabled: t.securityDefaults.isEnabled,
      };
    case 'organization':
      return { '@odata.context': context('organization'), value: [t.organization] };
  }
}
