import { createServer, request } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { listenLoopback } from './https-listen.ts';
import { aadError, clientInfo, json, token, type Grant } from './entra-user-token.ts';
export { delegatedToken, graphResource } from './entra-user-token.ts';
import { authorityMetadata } from '../../src/verify/network/token.ts';

// A fake Microsoft Entra ID for the delegated sign-ins of a public client, as msal-node's PublicClientApplication
// makes them: authorization code with PKCE (GET /authorize answering with response_mode form_post or query, then
// POST /token grant_type=authorization_code) and device code (POST /devicecode, then /token polling). It issues
// delegated Graph tokens (RS256 with fake-entra's key: the fake Graph checks them) and answers errors in the shape of
// the Microsoft identity platform. Beside fake-entra (client credentials) on its own port.

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

/**
 * `forwardTo` (a fake-entra's URL) makes this one authority host for both sign-ins, as --authority-host is in the
 * product: client-credentials token requests are passed to it unchanged, and its own log records them.
 */
export async function startFakeEntraUser(
  tls: { key: string; cert: string },
  behaviour: UserFlowBehaviour,
  forwardTo?: string,
): Promise<FakeEntraUser> {
  const requests: UserFlowRequest[] = [];
  const grants = new Map<string, Grant>();
  const server = createServer(tls, (req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://x');
      const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(body)]);
      if (forwardTo && params.grant_type === 'client_credentials') return forward(req, res, body, forwardTo, tls.cert);
      const logged = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, hidden.has(k) ? '<redacted>' : v]));
      requests.push({ method: req.method ?? '', path: url.pathname, at: Date.now(), params: logged });
      handle(req, res, url.pathname, params, fake.behaviour, grants, fake.url);
    });
  });
  const fake: FakeEntraUser = { ...(await listenLoopback(server)), requests, behaviour };
  return fake;
}

function forward(req: IncomingMessage, res: ServerResponse, body: string, to: string, ca: string): void {
  const out = request(new URL(req.url ?? '/', to), { method: req.method, headers: req.headers, ca }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', () => res.destroy());
  out.end(body);
}

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
