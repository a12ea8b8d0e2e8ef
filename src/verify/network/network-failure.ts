import type { PeerCertificate, TLSSocket } from 'node:tls';

/** What went wrong below HTTP or a mail protocol, in words, with the host that was tried. */
export interface NetworkFailure {
  kind:
    | 'dns'
    | 'refused'
    | 'tls'
    | 'untrusted'
    | 'timeout'
    | 'silent'
    | 'too-big'
    | 'reset'
    | 'proxy'
    | 'deadline'
    | 'other';
  host: string;
  detail: string;
}

const tlsCodes = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|TLS|SSL|EPROTO/;
/** The certificate chain does not end at an authority this machine trusts (as opposed to a name mismatch). */
const untrustedCodes =
  /SELF_SIGNED|self[- ]signed|UNABLE_TO_VERIFY|unable to verify|UNABLE_TO_GET_ISSUER|unable to get (local )?issuer|CERT_UNTRUSTED|CERT_CHAIN_TOO_LONG/i;

export function classifyNetworkError(e: unknown, host: string, seen: { issuer?: string } = {}): NetworkFailure {
  const err = e as NodeJS.ErrnoException & { reason?: string; failure?: NetworkFailure };
  if (err?.failure) return err.failure;
  const code = String(err?.code ?? '');
  const message = String(err?.message ?? e);
  if (code === 'EPROXY') return { kind: 'proxy', host, detail: message };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { kind: 'dns', host, detail: `cannot resolve ${host} (${code})` };
  if (code === 'ECONNREFUSED') return { kind: 'refused', host, detail: `${host} refused the connection` };
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT' || code === 'ESOCKET_TIMEOUT')
    return { kind: 'timeout', host, detail: `${host} did not answer in time` };
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return { kind: 'reset', host, detail: `${host} closed the connection (${code})` };
  if (untrustedCodes.test(code) || untrustedCodes.test(message)) {
    return {
      kind: 'untrusted',
      host,
      detail: `the certificate of ${host} is not trusted by Node.js here (${untrustedCodes.test(code) ? code : message}); it was issued by ${seen.issuer ?? 'an unknown issuer'}`,
    };
  }
  if (tlsCodes.test(code) || tlsCodes.test(message))
    return {
      kind: 'tls',
      host,
      detail: `TLS to ${host} failed: ${wholeSentences(err.reason ? `${message} (${err.reason})` : message) || code}`,
    };
  return { kind: 'other', host, detail: `${host}: ${code || message}` };
}

/**
 * The failure of a step stopped by its wall-clock limit, in the words of what the server did until then: never
 * reached (a firewall, a wrong host), reached and silent, or reached and still sending when time ran out.
 */
export function timeLimitFailure(
  host: string,
  ms: number,
  progress: { connected: boolean; lastDataAt?: number },
  cause: 'timeout' | 'deadline',
  now = Date.now(),
): NetworkFailure {
  const s = `${formatSeconds(ms)} s`;
  if (cause === 'deadline')
    return {
      kind: 'deadline',
      host,
      detail: `${host}: stopped when the --deadline ran out (${s} were left for this step)`,
    };
  if (!progress.connected) return { kind: 'timeout', host, detail: `${host}: no connection within ${s}` };
  // Data in the last part of the time allowed: a trickle, not a server that stopped (after its greeting, say).
  if (progress.lastDataAt !== undefined && now - progress.lastDataAt < Math.min(1500, ms / 2)) {
    return {
      kind: 'silent',
      host,
      detail: `connected to ${host}, but it was still sending its answer after ${s} (a server sending too slowly)`,
    };
  }
  return { kind: 'silent', host, detail: `connected to ${host}, then no answer within ${s}` };
}

export const tooBig = (host: string, what: string, limit: number): NetworkFailure => ({
  kind: 'too-big',
  host,
  detail: `${host} sent ${what} longer than ${limit} bytes; stopped reading`,
});

export const formatSeconds = (ms: number): string => String(Math.round(ms / 100) / 10);

/** Who issued a server's certificate, for a diagnosis: its organisation and common name. */
export function issuerOf(cert: PeerCertificate | undefined): string | undefined {
  const i = cert?.issuer;
  if (!i || !Object.keys(i).length) return undefined;
  const parts = [i.CN && `CN=${i.CN}`, i.O && `O=${i.O}`].filter(Boolean);
  return (parts.length ? parts : Object.entries(i).map(([k, v]) => `${k}=${v}`)).join(', ');
}

/**
 * Remembers the issuer of the certificate a TLS socket receives: Node checks the chain and closes the socket before
 * the error reaches us, and by then the certificate can no longer be read.
 */
export function watchIssuer(socket: TLSSocket, seen: { issuer?: string }): void {
  socket.prependListener('secure', () => {
    seen.issuer = issuerOf(socket.getPeerCertificate());
  });
}

/** A message cut at its last full sentence when it runs on into a fragment (some errors end mid-sentence). */
function wholeSentences(message: string): string {
  return message.trim().replace(/[:,;]\s*$/, '');
}

export class TimeoutError extends Error {
  readonly code = 'ETIMEOUT';
}

/** Rejects after `ms` unless the promise settles first; `onTimeout` tears down what the promise was doing. */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout?.();
        reject(new TimeoutError(`no answer within ${ms} ms`));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
