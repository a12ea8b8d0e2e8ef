import type { ServerResponse } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { signJwt } from './fake-entra.ts';
import type { UserFlowBehaviour } from './fake-entra-user.ts';

// The fake authorization endpoint's token side: redeeming a code (PKCE checked), answering device-code polls, and
// issuing delegated tokens and errors in the Microsoft identity platform's shapes.

export const graphResource = 'https://graph.microsoft.com';

/** What a code or a device code stands for until it is redeemed. */
export interface Grant {
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

/** The identity platform's error body (the trace data is part of error_description, lines apart). */
export function aadError(error: string, code: number, text: string, extra: Record<string, unknown> = {}) {
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

export const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

export const clientInfo = (b: UserFlowBehaviour) =>
  Buffer.from(JSON.stringify({ uid: b.user.oid, utid: b.tenant })).toString('base64url');

export function token(
  res: ServerResponse,
  p: Record<string, string>,
  b: UserFlowBehaviour,
  grants: Map<string, Grant>,
): void {
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
