import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { signJwt } from './fake-entra.ts';
import { authorityMetadata } from '../../src/verify/token.ts';

// A fake Microsoft Entra ID for the delegated sign-ins of a public client, as msal-node's PublicClientApplication
// makes them: authorization code with PKCE (GET /authorize answering with response_mode form_post or query, then
// POST /token grant_type=authorization_code) and device code (POST /devicecode, then /token polling). It issues
// delegated Graph tokens (RS256 with fake-entra's key: the fake Graph checks them) and answers errors in the shape of
// the Microsoft identity platform. Beside fake-entra (client credentials) on its own port.

export const graphResource = 'https://graph.microsoft.com';

export interface SignedInUser {
  upn: string;
  oid: string;
  name: string;
}

export interface UserFlowBehaviour {
  tenant: string;
  /** The public client's application id and its registered redirect URIs (a loopback one matches any port). */
  client: { id: string; redirectUris: string[] };
  user: SignedInUser;
  /** Delegated Graph scopes the token may carry; a requested scope outside this list is left out of `scp`. */
  grantedScopes?: string[];
  /** What the "sign-in page" answers instead of a code, e.g. the user cancelled or Conditional Access blocked. */
  authorizeError?: { error: string; code: number; text: string };
  /** Device code: this many polls answer authorization_pending, then `outcome`. */
  device?: {
    pending: number;
    outcome: 'ok' | 'expired' | 'blocked' | 'declined';
    interval?: number;
    expiresIn?: number;
  };
  /** Directory role template ids of the user (the token's `wids`). */
  wids?: string[];
}

export interface UserFlowRequest {
  method: string;
  path: string;
  at: number;
  /** Query and form parameters, with codes, verifiers and tokens replaced by '<redacted>'. */
  params: Record<string, string>;
}

export interface FakeEntraUser {
  url: string;
  requests: UserFlowRequest[];
  behaviour: UserFlowBehaviour;
  close(): Promise<void>;
}

/** The msal `auth` options that point a client at this fake the way the product points it at Entra: no discovery. */
export function msalAuth(fake: { url: string }, tenant: string, clientId: string) {
  const authority = `${fake.url}/${tenant}`;
  return {
    clientId,
    authority,
    knownAuthorities: [new URL(fake.url).host],
    authorityMetadata: authorityMetadata(authority),
  };
}

const hidden = new Set(['code', 'code_verifier', 'device_code', 'refresh_token', 'client_secret', 'client_assertion']);

interface Grant {
  clientId: string;
  scopes: string[];
  redirectUri?: string;
  challenge?: string;
  method?: string;
  nonce?: string;
  polls?: number;
  expiresAt?: number;
}

/** A delegated access token for Graph, as Entra issues it for a signed-in user (v1.0 token, `scp` space-separated). */
export function delegatedToken(b: UserFlowBehaviour, scopes: string[], extra: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({
    aud: graphResource,
    iss: `https://sts.windows.net/${b.tenant}/`,
    iat: now,
    nbf: now,
    exp: now + 4799,
    appid: b.client.id,
    appidacr: '0',
    idtyp: 'user',
    name: b.user.name,
    oid: b.user.oid,
    scp: scopes.join(' '),
    sub: randomUUID(),
    tid: b.tenant,
    unique_name: b.user.upn,
    upn: b.user.upn,
    ver: '1.0',
    wids: b.wids ?? [],
    ...extra,
  });
}

export async function startFakeEntraUser(
  tls: { key: string; cert: string },
  behaviour: UserFlowBehaviour,
): Promise<FakeEntraUser> {
  const requests: UserFlowRequest[] = [];
  const grants = new Map<string, Grant>();
  const server = createServer(tls, (req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://x');
      const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(body)]);
      const logged = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, hidden.has(k) ? '<redacted>' : v]));
      requests.push({ method: req.method ?? '', path: url.pathname, at: Date.now(), params: logged });
      handle(req, res, url.pathname, params, fake.behaviour, grants, fake.url);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake: FakeEntraUser = {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    behaviour,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return fake;
}

/** The identity platform's error body (the trace data is part of error_description, lines apart). */
function aadError(error: string, code: number, text: string, extra: Record<string, unknown> = {}) {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: trace,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    ...extra,
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/** Entra shows errors it cannot send back (unknown client, wrong redirect URI) as a page, not a redirect. */
const page = (res: ServerResponse, status: number, code: number, text: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<html><body><h1>Sign in</h1><p>AADSTS${code}: ${text}</p></body></html>`);
};

/** Scopes as Entra reads them: a bare name or a `https://graph.microsoft.com/` one is Graph's; OIDC ones apart. */
function graphScopes(requested: string, b: UserFlowBehaviour): string[] {
  const names = requested
    .split(' ')
    .filter((s) => s && !['openid', 'profile', 'offline_access', 'email'].includes(s))
    .map((s) =>
      s.replace(/^https:\/\/graph\.microsoft\.com\//i, '').replace(/^00000003-0000-0000-c000-000000000000\//i, ''),
    );
  const granted = b.grantedScopes;
  if (names.includes('.default')) return granted ?? [];
  return granted ? names.filter((n) => granted.includes(n)) : names;
}

/** Entra lets a loopback redirect URI use any port (RFC 8252 §7.3); other URIs must match exactly. */
function redirectAllowed(uri: string, registered: string[]): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  const loopback = u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  return registered.some((r) => {
    if (r === uri) return true;
    const reg = new URL(r);
    return loopback && reg.protocol === 'http:' && reg.hostname === u.hostname && reg.pathname === u.pathname;
  });
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  p: Record<string, string>,
  b: UserFlowBehaviour,
  grants: Map<string, Grant>,
  self: string,
): void {
  const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/(authorize|token|devicecode))$/.exec(
    path,
  );
  if (!m)
    return json(res, 404, aadError('invalid_request', 900561, 'The endpoint only accepts POST, OPTIONS requests.'));
  const [, tenant, , endpoint] = m;
  if (tenant !== b.tenant && tenant !== 'organizations')
    return json(
      res,
      400,
      aadError(
        'invalid_tenant',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      ),
    );
  const authority = `${self}/${tenant}`;
  if (!endpoint)
    // Discovery, for a client configured without authorityMetadata (the product gives it; this proves it is unused).
    return json(res, 200, {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      issuer: `${authority}/v2.0`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      code_challenge_methods_supported: ['plain', 'S256'],
    });
  if (p.client_id !== b.client.id) {
    const text = `Application with identifier '${p.client_id}' was not found in the directory '${tenant}'.`;
    return endpoint === 'authorize'
      ? page(res, 400, 700016, text)
      : json(res, 400, aadError('unauthorized_client', 700016, text));
  }
  if (endpoint === 'authorize') return authorize(res, p, b, grants);
  if (req.method !== 'POST')
    return json(res, 405, aadError('invalid_request', 900561, 'The endpoint only accepts POST, OPTIONS requests.'));
  if (endpoint === 'devicecode') {
    const deviceCode = randomBytes(32).toString('base64url');
    const userCode = randomBytes(6).toString('hex').slice(0, 9).toUpperCase();
    const expiresIn = b.device?.expiresIn ?? 900;
    grants.set(`device:${deviceCode}`, {
      clientId: p.client_id,
      scopes: graphScopes(p.scope ?? '', b),
      polls: 0,
      expiresAt: Date.now() + expiresIn * 1000,
    });
    return json(res, 200, {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: 'https://microsoft.com/devicelogin',
      expires_in: expiresIn,
      interval: b.device?.interval ?? 5,
      message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${userCode} to authenticate.`,
    });
  }
  return token(res, p, b, grants);
}

function authorize(
  res: ServerResponse,
  p: Record<string, string>,
  b: UserFlowBehaviour,
  grants: Map<string, Grant>,
): void {
  const redirectUri = p.redirect_uri ?? '';
  if (!redirectAllowed(redirectUri, b.client.redirectUris))
    return page(
      res,
      400,
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${b.client.id}'.`,
    );
  if (p.response_type !== 'code')
    return page(res, 400, 900144, "The request body must contain the following parameter: 'response_type'.");
  let answer: Record<string, string>;
  if (b.authorizeError) {
    const e = aadError(b.authorizeError.error, b.authorizeError.code, b.authorizeError.text);
    answer = { error: e.error, error_description: e.error_description, error_uri: e.error_uri };
  } else {
    const code = randomBytes(32).toString('base64url');
    grants.set(`code:${code}`, {
      clientId: p.client_id!,
      scopes: graphScopes(p.scope ?? '', b),
      redirectUri,
      challenge: p.code_challenge,
      method: p.code_challenge_method,
      nonce: p.nonce || undefined,
    });
    answer = { code, client_info: clientInfo(b), session_state: randomUUID() };
  }
  if (p.state !== undefined) answer.state = p.state;
  if (p.response_mode === 'form_post') {
    // The page Entra sends: a form the browser submits to the redirect URI by itself.
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const inputs = Object.entries(answer)
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}" />`)
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return void res.end(
      `<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${esc(redirectUri)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script language="javascript">document.forms[0].submit();</script></body></html>`,
    );
  }
  const to = new URL(redirectUri);
  for (const [k, v] of Object.entries(answer)) to.searchParams.set(k, v);
  res.writeHead(302, { location: to.toString() });
  res.end();
}

const clientInfo = (b: UserFlowBehaviour) =>
  Buffer.from(JSON.stringify({ uid: b.user.oid, utid: b.tenant })).toString('base64url');

function token(res: ServerResponse, p: Record<string, string>, b: UserFlowBehaviour, grants: Map<string, Grant>): void {
  const fail = (status: number, error: string, code: number, text: string, extra?: Record<string, unknown>) =>
    json(res, status, aadError(error, code, text, extra));
  if (p.grant_type === 'authorization_code') {
    const grant = grants.get(`code:${p.code}`);
    if (!grant)
      return fail(
        400,
        'invalid_grant',
        54005,
        'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      );
    grants.delete(`code:${p.code}`);
    if (grant.redirectUri !== p.redirect_uri)
      return fail(
        400,
        'invalid_grant',
        70000,
        "The provided value for the input parameter 'redirect_uri' is not valid.",
      );
    if (grant.challenge) {
      const verifier = p.code_verifier ?? '';
      const derived = grant.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!verifier || derived !== grant.challenge)
        return fail(
          400,
          'invalid_grant',
          501481,
          'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
        );
    }
    return issue(res, b, grant);
  }
  // RFC 8628 names the grant with a URN; msal-node sends 'device_code', which Entra accepts too.
  if (p.grant_type === 'urn:ietf:params:oauth:grant-type:device_code' || p.grant_type === 'device_code') {
    const grant = grants.get(`device:${p.device_code}`);
    const d = b.device ?? { pending: 0, outcome: 'ok' as const };
    if (!grant)
      return fail(
        400,
        'invalid_grant',
        70000,
        "The provided value for the input parameter 'device_code' is not valid.",
      );
    const expired = (grant.expiresAt ?? Infinity) < Date.now();
    if (!expired && grant.polls! < d.pending) {
      grant.polls!++;
      return fail(
        400,
        'authorization_pending',
        70016,
        'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
      );
    }
    grants.delete(`device:${p.device_code}`);
    if (expired || d.outcome === 'expired')
      return fail(
        400,
        'expired_token',
        70020,
        "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
      );
    if (d.outcome === 'declined')
      return fail(400, 'authorization_declined', 70019, 'The end user denied the authorization request.');
    if (d.outcome === 'blocked')
      return fail(
        400,
        'invalid_grant',
        53003,
        'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
        {
          suberror: 'message_only',
          claims: JSON.stringify({ access_token: { capolids: { essential: true, values: [randomUUID()] } } }),
        },
      );
    return issue(res, b, grant);
  }
  return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
}

/** A token response as Entra answers a delegated request with openid/profile/offline_access. */
function issue(res: ServerResponse, b: UserFlowBehaviour, grant: Grant): void {
  const now = Math.floor(Date.now() / 1000);
  const idToken = signJwt({
    aud: b.client.id,
    iss: `https://login.microsoftonline.com/${b.tenant}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    name: b.user.name,
    oid: b.user.oid,
    preferred_username: b.user.upn,
    sub: randomUUID(),
    tid: b.tenant,
    ver: '2.0',
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
  });
  json(res, 200, {
    token_type: 'Bearer',
    scope: [...grant.scopes.map((s) => `${graphResource}/${s}`), 'openid', 'profile'].join(' '),
    expires_in: 4799,
    ext_expires_in: 4799,
    access_token: delegatedToken(b, grant.scopes),
    refresh_token: randomBytes(48).toString('base64url'),
    id_token: idToken,
    client_info: clientInfo(b),
  });
}
