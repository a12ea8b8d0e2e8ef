import { Agent, request } from 'node:https';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { tunnel } from './proxy.ts';
import type { EnvironmentPlan } from '../../plan/plan.ts';
import { caps } from '../input/limits.ts';
import { classifyNetworkError, timeLimitFailure, tooBig, watchIssuer, type NetworkFailure } from './network-failure.ts';

export type TokenOutcome = (
  | { ok: true; accessToken: string; expiresOn: Date | null; requests: number }
  | {
      ok: false;
      server?: {
        errorCode: string;
        errorNo: string | null;
        message: string;
        correlationId: string | null;
        status: number | null;
      };
      network?: NetworkFailure;
      other?: string;
      requests: number;
    }
) & { elapsedMs?: number };

interface NetworkResponse {
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

/**
 * An HTTPS client for msal: it keeps the real cause of a network failure (msal only reports "network_error"), ends
 * every request when the step's wall-clock limit is reached (`deadlineAt`, however slowly the server trickles), reads
 * at most caps.tokenBodyBytes of an answer, and never logs a request body (which holds the secret).
 */
function networkClient(
  deadlineAt: number,
  limit: { ms: number; cause: 'timeout' | 'deadline' },
  onFailure: (f: NetworkFailure) => void,
  onRequest: () => void,
  proxy?: URL,
) {
  const send = (method: 'GET' | 'POST', url: string, options?: { headers?: Record<string, string>; body?: string }) =>
    new Promise<NetworkResponse>((resolve, reject) => {
      onRequest();
      const u = new URL(url);
      const progress: { connected: boolean; lastDataAt?: number; issuer?: string } = { connected: false };
      const controller = new AbortController();
      let settled = false;
      const fail = (failure: NetworkFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        onFailure(failure);
        controller.abort();
        req.destroy();
        reject(new Error(`request to ${u.host} failed`));
      };
      // Through a proxy, the request gets a CONNECT tunnel and TLS is negotiated end to end inside it.
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
                const tls = tlsConnect({ socket, host: name, ...(isIP(name) ? {} : { servername: name }) });
                watchIssuer(tls, progress);
                done(null, tls);
              })
              .catch((e: Error) => done(e));
          },
        });
      const req = request(u, { method, headers: options?.headers, ...(agent ? { agent } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          progress.lastDataAt = Date.now();
          size += c.length;
          if (size > caps.tokenBodyBytes) return fail(tooBig(u.host, 'an answer', caps.tokenBodyBytes));
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = {
              error: 'invalid_response',
              error_description: `the server answered HTTP ${res.statusCode} with a body that is not JSON`,
            };
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ headers, body, status: res.statusCode ?? 0 });
        });
        res.on('error', (e) => fail(classifyNetworkError(e, u.host, progress)));
      });
      req.on('socket', (socket) => {
        // Bytes of a head that never completes count as an answer in progress, not as silence.
        socket.on('data', () => (progress.lastDataAt = Date.now()));
        if (proxy) return;
        socket.once('connect', () => (progress.connected = true));
        watchIssuer(socket as TLSSocket, progress);
      });
      const timer = setTimeout(
        () => fail(timeLimitFailure(u.host, limit.ms, progress, limit.cause)),
        Math.max(0, deadlineAt - Date.now()),
      );
      req.on('error', (e) => fail(classifyNetworkError(e, u.host, progress)));
      req.end(options?.body);
    });
  return {
    sendGetRequestAsync: (url: string, options?: { headers?: Record<string, string>; body?: string }) =>
      send('GET', url, options),
    sendPostRequestAsync: (url: string, options?: { headers?: Record<string, string>; body?: string }) =>
      send('POST', url, options),
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
export async function acquireToken(
  env: EnvironmentPlan,
  tenantId: string,
  clientId: string,
  secret: string,
  opts: { authorityHost: string; timeoutMs: number; limitedBy?: 'timeout' | 'deadline'; proxy?: URL },
): Promise<TokenOutcome> {
  const { ConfidentialClientApplication } = await import('@azure/msal-node'); // loaded only by verify
  // The limit holds for the whole request, from here: every request msal makes (it makes one), connection included.
  const started = Date.now();
  const deadlineAt = started + opts.timeoutMs;
  const limit = { ms: opts.timeoutMs, cause: opts.limitedBy ?? 'timeout' } as const;
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
      networkClient: networkClient(
        deadlineAt,
        limit,
        (f) => (failure = f),
        () => requests++,
        opts.proxy,
      ) as never,
      loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
  const done = (o: TokenOutcome): TokenOutcome => ({ ...o, requests, elapsedMs: Date.now() - started });
  try {
    const result = await app.acquireTokenByClientCredential({ scopes: [env.scope], skipCache: true });
    if (!result?.accessToken)
      return done({ ok: false, other: 'the token endpoint answered without an access token', requests });
    return done({ ok: true, accessToken: result.accessToken, expiresOn: result.expiresOn ?? null, requests });
  } catch (e) {
    if (failure) return done({ ok: false, network: failure, requests });
    const err = e as {
      name?: string;
      errorCode?: string;
      errorNo?: string | number;
      errorMessage?: string;
      message?: string;
      correlationId?: string;
      status?: number;
    };
    if (err.name === 'ServerError' || err.errorNo !== undefined) {
      return done({
        ok: false,
        requests,
        server: {
          errorCode: err.errorCode ?? 'error',
          errorNo: err.errorNo === undefined || err.errorNo === '' ? null : String(err.errorNo),
          message: firstSentence(err.errorMessage ?? err.message ?? ''),
          correlationId: err.correlationId || null,
          status: err.status ?? null,
        },
      });
    }
    return done({
      ok: false,
      other: `${err.errorCode ?? err.name ?? 'error'}: ${err.errorMessage ?? err.message ?? String(e)}`,
      requests,
    });
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
