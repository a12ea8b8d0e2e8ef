import { createVerify } from 'node:crypto';
import { keys } from './fake-entra.ts';
import { graphResource } from './fake-entra-user.ts';
import type { GraphBehaviour, GraphRequest } from './fake-graph.ts';
import type { GraphApplication, GraphServicePrincipal } from './graph-directory.ts';

// What the fake Graph answers to each GET it knows, from its GraphTenant: the route, the token and scope checks,
// the OData bits the product may use ($filter=appId eq, $select, $top, $skiptoken) and the documented bodies.

export type Route =
  | 'application'
  | 'applications'
  | 'servicePrincipal'
  | 'servicePrincipals'
  | 'appRoleAssignments'
  | 'appManagementPolicy'
  | 'securityDefaults'
  | 'organization';

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

export class GraphError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
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

export function route(
  path: string,
  query: Record<string, string>,
  method: string,
  authorization: string | undefined,
  b: GraphBehaviour,
  entry: GraphRequest,
  self: string,
): unknown {
  const t = b.tenant;
  // An entity by alternate key (appId='…') or object id, or the collection; appRoleAssignments below either.
  const m =
    /^\/v1\.0\/(applications|servicePrincipals)(?:\(appId=([^)]*)\)|\/([^/()]+))?(\/appRoleAssignments)?$/i.exec(path);
  const fixed: Record<string, Route> = {
    '/v1.0/policies/defaultappmanagementpolicy': 'appManagementPolicy',
    '/v1.0/policies/identitysecuritydefaultsenforcementpolicy': 'securityDefaults',
    '/v1.0/organization': 'organization',
  };
  let r: Route | undefined = fixed[path.toLowerCase()];
  const apps = m?.[1]!.toLowerCase() === 'applications';
  const keyed = m?.[2] !== undefined || m?.[3] !== undefined;
  if (m && m[4]) r = !apps && keyed ? 'appRoleAssignments' : undefined;
  else if (m) r = keyed ? (apps ? 'application' : 'servicePrincipal') : apps ? 'applications' : 'servicePrincipals';
  if (!r) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`);
  entry.route = r;
  if (method !== 'GET')
    throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  const granted = permissions(authorization, b);
  entry.scopes = granted;
  if (!needs[r].some((s) => granted.includes(s)) || b.denyRoutes?.includes(r))
    throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const collection: (GraphApplication | GraphServicePrincipal)[] = apps ? t.applications : t.servicePrincipals;
  const one = () => {
    const appId = m![2] === undefined ? undefined : literal(m![2]);
    if (m![2] !== undefined && appId === undefined)
      throw new GraphError(400, 'Request_BadRequest', `Invalid object identifier '${m![2]}'.`);
    const found = collection.find((o) => (appId === undefined ? o.id === m![3] : o.appId === appId));
    if (!found) throw notFound(appId ?? m![3]!);
    return found;
  };
  switch (r) {
    case 'application':
    case 'servicePrincipal':
      return {
        '@odata.context': context(`${apps ? 'applications' : 'servicePrincipals'}/$entity`),
        ...select(one(), query),
      };
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
      const sp = one();
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
