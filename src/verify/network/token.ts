import { caps } from '../input/limits.ts';
import { HttpsFailure, httpsRequest, type HttpsBounds } from './https-client.ts';
import type { NetworkFailure } from './network-failure.ts';

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

/**
 * The HTTPS client msal is given: each request bounded by httpsRequest (time, size, proxy), the real cause of a
 * network failure kept (msal only reports "network_error"), and a body that is not JSON turned into an error msal
 * reports, never logged (a token request's body holds the secret).
 */
function networkClient(
  bounds: Omit<HttpsBounds, 'maxBytes'>,
  onFailure: (f: NetworkFailure) => void,
  onRequest: () => void,
) {
  const send = async (
    method: 'GET' | 'POST',
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ) => {
    onRequest();
    let answer;
    try {
      answer = await httpsRequest({ method, url, ...options }, { ...bounds, maxBytes: caps.tokenBodyBytes });
    } catch (e) {
      if (e instanceof HttpsFailure) onFailure(e.failure);
      throw new Error(`request to ${new URL(url).host} failed`);
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.body.toString('utf8'));
    } catch {
      body = {
        error: 'invalid_response',
        error_description: `the server answered HTTP ${answer.status} with a body that is not JSON`,
      };
    }
    return { headers: answer.headers, body, status: answer.status };
  };
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

/** Requests a token for `scope` with the client credentials flow exactly as Bizagi does, bypassing any cache. */
export async function acquireToken(
  scope: string,
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
        { deadlineAt, limit, ...(opts.proxy ? { proxy: opts.proxy } : {}) },
        (f) => (failure = f),
        () => requests++,
      ) as never,
      loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
  const done = (o: TokenOutcome): TokenOutcome => ({ ...o, requests, elapsedMs: Date.now() - started });
  try {
    const result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true });
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
