import { Agent, request } from 'node:https';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tunnel } from './proxy.ts';
import type { EnvironmentPlan } from '../plan/plan.ts';
import { classifyNetworkError, type NetworkFailure } from './network-failure.ts';

export type TokenOutcome =
  | { ok: true; accessToken: string; expiresOn: Date | null; requests: number }
  | { ok: false; server?: { errorCode: string; errorNo: string | null; message: string; correlationId: string | null; status: number | null }; network?: NetworkFailure; other?: string; requests: number };

interface NetworkResponse {
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

/**
 * An HTTPS client for msal: it keeps the real cause of a network failure (msal only reports "network_error"),
 * bounds every request by the timeout, and never logs a request body (which holds the secret).
 */
function networkClient(timeoutMs: number, onFailure: (f: NetworkFailure) => void, onRequest: () => void, proxy?: URL) {
  // Through a proxy, each request gets a CONNECT tunnel and TLS is negotiated end to end inside it.
  const agent = proxy && Object.assign(new Agent({ keepAlive: false }), {
    createConnection: (options: { host?: string; port?: number; servername?: string }, done: (e: Error | null, s?: Duplex) => void) => {
      tunnel(proxy, options.host ?? '', Number(options.port ?? 443), timeoutMs)
        .then((socket) => {
          const name = options.servername || options.host || '';
          // host: what the certificate is checked against; no SNI for an IP address (RFC 6066).
          done(null, tlsConnect({ socket, host: name, ...(isIP(name) ? {} : { servername: name }) }));
        })
        .catch((e: Error) => done(e));
    },
  });
  const send = (method: 'GET' | 'POST', url: string, options?: { headers?: Record<string, string>; body?: string }) =>
    new Promise<NetworkResponse>((resolve, reject) => {
      onRequest();
      const u = new URL(url);
      const req = request(u, { method, headers: options?.headers, timeout: timeoutMs, ...(agent ? { agent } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = { error: 'invalid_response', error_description: `the server answered HTTP ${res.statusCode} with a body that is not JSON` };
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ headers, body, status: res.statusCode ?? 0 });
        });
        res.on('error', (e) => fail(e));
      });
      const fail = (e: unknown) => {
        onFailure(classifyNetworkError(e, u.host));
        reject(new Error(`request to ${u.host} failed`));
      };
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', fail);
      req.end(options?.body);
    });
  return {
    sendGetRequestAsync: (url: string, options?: { headers?: Record<string, string>; body?: string }) => send('GET', url, options),
    sendPostRequestAsync: (url: string, options?: { headers?: Record<string, string>; body?: string }) => send('POST', url, options),
  };
}

/** The openid configuration msal would otherwise fetch: given up front, the token POST is the only request. */
export function authorityMetadata(authority: string): string {
  return JSON.stringify({
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    issuer: `${authority}/v2.0`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
  });
}

/** Requests a token with the client credentials flow exactly as Bizagi does, bypassing any cache. */
export async function acquireToken(env: EnvironmentPlan, tenantId: string, clientId: string, secret: string, opts: { authorityHost: string; timeoutMs: number; proxy?: URL }): Promise<TokenOutcome> {
  const { ConfidentialClientApplication } = await import('@azure/msal-node'); // loaded only by verify
  const authority = `${opts.authorityHost.replace(/\/+$/, '')}/${tenantId}`;
  let failure: NetworkFailure | undefined;
  let requests = 0;
  const app = new ConfidentialClientApplication({
    auth: {
      clientId,
      clientSecret: secret,
      authority,
      knownAuthorities: [new URL(opts.authorityHost).host],
      authorityMetadata: authorityMetadata(authority),
    },
    system: {
      networkClient: networkClient(opts.timeoutMs, (f) => (failure = f), () => requests++, opts.proxy) as never,
      loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
  try {
    const result = await app.acquireTokenByClientCredential({ scopes: [env.scope], skipCache: true });
    if (!result?.accessToken) return { ok: false, other: 'the token endpoint answered without an access token', requests };
    return { ok: true, accessToken: result.accessToken, expiresOn: result.expiresOn ?? null, requests };
  } catch (e) {
    if (failure) return { ok: false, network: failure, requests };
    const err = e as { name?: string; errorCode?: string; errorNo?: string | number; errorMessage?: string; message?: string; correlationId?: string; status?: number };
    if (err.name === 'ServerError' || err.errorNo !== undefined) {
      return {
        ok: false,
        requests,
        server: {
          errorCode: err.errorCode ?? 'error',
          errorNo: err.errorNo === undefined || err.errorNo === '' ? null : String(err.errorNo),
          message: firstSentence(err.errorMessage ?? err.message ?? ''),
          correlationId: err.correlationId || null,
          status: err.status ?? null,
        },
      };
    }
    return { ok: false, other: `${err.errorCode ?? err.name ?? 'error'}: ${err.errorMessage ?? err.message ?? String(e)}`, requests };
  }
}

/**
 * msal's message is "Error(s): 7000215 - Timestamp: … - Description: AADSTS7000215: Invalid client secret … Trace ID:
 * … - Correlation ID: …"; keep the description without the trace data.
 */
function firstSentence(message: string): string {
  const description = /Description: ([\s\S]*)$/.exec(message)?.[1] ?? message;
  return description.split(/\s+Trace ID:|\s+- Correlation ID:|\r?\n/)[0]!.trim();
}
