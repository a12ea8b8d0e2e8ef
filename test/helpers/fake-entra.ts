import { createServer, type Server } from 'node:https';
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';

// A fake Microsoft Entra ID token endpoint over HTTPS: real-shaped RS256 tokens and real-shaped AADSTS errors.

export interface EntraApp {
  tenant: string;
  clientId: string;
  secret: string;
  roles: string[];
  secretExpired?: boolean;
  disabled?: boolean;
}

export interface EntraBehaviour {
  apps: EntraApp[];
  /** Answer every request after this many ms (a slow server); Infinity never answers. */
  delayMs?: number;
  /** Forced error for every request, e.g. { status: 400, error: 'invalid_request', code: 53003 } */
  force?: { status: number; error: string; code: number; text: string };
  audience?: string;
  /** Answer 200 with a body msal cannot use. */
  malformed?: 'not-json' | 'not-jwt' | 'no-token';
  /** Claims merged into (or replacing) the issued token's: hostile types, escape sequences. */
  extraClaims?: Record<string, unknown>;
  /** Refuse every request with an error text that echoes the client_secret received, in every usual encoding. */
  echoSecret?: boolean;
  /** Refuse every request with an error text that echoes these parts of the client_secret, each in echoForms. */
  echoSlices?: (secret: string) => string[];
}

/** A text in every encoding a server might echo it in, base64 at each of its three alignments. */
export const echoForms = (v: string): string[] => [
  v,
  JSON.stringify(v).slice(1, -1),
  encodeURIComponent(v),
  new URLSearchParams({ s: v }).toString().slice(2),
  Buffer.from(v).toString('hex'),
  Buffer.from(v).toString('hex').toUpperCase(),
  Buffer.from(v).toString('base64'),
  Buffer.from(v).toString('base64url'),
  Buffer.from(`x${v}`).toString('base64'),
  Buffer.from(`xy${v}`).toString('base64url'),
];

export interface FakeEntra {
  url: string;
  port: number;
  requests: { method: string; path: string; form: Record<string, string> }[];
  publicKey: KeyObject;
  behaviour: EntraBehaviour;
  close(): Promise<void>;
}

export const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

export function signJwt(payload: Record<string, unknown>, privateKey: KeyObject = keys.privateKey): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ typ: 'JWT', alg: 'RS256', kid: 'fake-key' })}.${b64(payload)}`;
  const sig = createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url');
  return `${head}.${sig}`;
}

export async function startFakeEntra(
  tls: { key: string; cert: string },
  behaviour: EntraBehaviour,
): Promise<FakeEntra> {
  const requests: FakeEntra['requests'] = [];
  const server: Server = createServer(tls, (req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      requests.push({ method: req.method ?? '', path: req.url ?? '', form });
      const answer = () =>
        respond(req.url ?? '', form, fake.behaviour, (status, json) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
          const m = fake.behaviour.malformed;
          if (m === 'not-json') return res.end('<html>proxy error</html>');
          if (m === 'not-jwt')
            return res.end(
              JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: 'opaque-token-value' }),
            );
          if (m === 'no-token') return res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599 }));
          res.end(JSON.stringify(json));
        });
      const delay = fake.behaviour.delayMs ?? 0;
      if (delay === Infinity) return; // hold the connection open, never answer
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeEntra = {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    publicKey: keys.publicKey,
    behaviour,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return fake;
}

function aadError(status: number, error: string, code: number, text: string) {
  const trace = randomUUID();
  const correlation = randomUUID();
  return [
    status,
    {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: 2026-11-28 12:00:00Z`,
      error_codes: [code],
      timestamp: '2026-11-28 12:00:00Z',
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  ] as const;
}

function respond(
  path: string,
  form: Record<string, string>,
  b: EntraBehaviour,
  send: (status: number, json: unknown) => void,
): void {
  const fail = (status: number, error: string, code: number, text: string) =>
    send(...aadError(status, error, code, text));
  if (b.force) return fail(b.force.status, b.force.error, b.force.code, b.force.text);
  if (b.echoSecret) {
    const v = form.client_secret ?? '';
    const forms = [
      v,
      Buffer.from(v).toString('base64'),
      Buffer.from(v).toString('base64url'),
      Buffer.from(v).toString('hex'),
      encodeURIComponent(v),
      Buffer.from(`x${v}`).toString('base64'),
    ];
    return fail(401, 'invalid_client', 7000215, `Invalid client secret provided: ${forms.join(' | ')}.`);
  }
  if (b.echoSlices) {
    const echoed = b.echoSlices(form.client_secret ?? '').flatMap(echoForms);
    return fail(401, 'invalid_client', 7000215, `Invalid client secret provided: ${echoed.join(' | ')}.`);
  }
  const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(new URL(path, 'https://x').pathname);
  if (!m) return fail(404, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
  const tenant = m[1]!;
  if (!b.apps.some((a) => a.tenant === tenant))
    return fail(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  if (form.grant_type !== 'client_credentials')
    return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  const app = b.apps.find((a) => a.tenant === tenant && a.clientId === form.client_id);
  if (!app)
    return fail(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${form.client_id}' was not found in the directory '${tenant}'.`,
    );
  if (app.disabled) return fail(400, 'unauthorized_client', 7000112, `Application '${app.clientId}' is disabled.`);
  if (app.secretExpired)
    return fail(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${app.clientId}' are expired.`,
    );
  if (form.client_secret !== app.secret)
    return fail(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  if (!form.scope || !/\/\.default$/.test(form.scope))
    return fail(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${form.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  const now = Math.floor(Date.now() / 1000);
  const access_token = signJwt({
    aud: b.audience ?? form.scope.replace(/\/\.default$/, ''),
    iss: `https://sts.windows.net/${tenant}/`,
    iat: now,
    nbf: now,
    exp: now + 3599,
    appid: app.clientId,
    appidacr: '1',
    idp: `https://sts.windows.net/${tenant}/`,
    oid: randomUUID(),
    roles: app.roles,
    sub: randomUUID(),
    tid: tenant,
    ver: '1.0',
    ...b.extraClaims,
  });
  send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token });
}
