/** What went wrong below HTTP or a mail protocol, in words, with the host that was tried. */
export interface NetworkFailure {
  kind: 'dns' | 'refused' | 'tls' | 'timeout' | 'reset' | 'proxy' | 'other';
  host: string;
  detail: string;
}

const tlsCodes = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|TLS|SSL|EPROTO/;

export function classifyNetworkError(e: unknown, host: string): NetworkFailure {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const code = String(err.code ?? '');
  if (code === 'EPROXY') return { kind: 'proxy', host, detail: err.message };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', host, detail: `cannot resolve ${host} (${code})` };
  if (code === 'ECONNREFUSED') return { kind: 'refused', host, detail: `${host} refused the connection` };
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT' || code === 'ESOCKET_TIMEOUT') return { kind: 'timeout', host, detail: `${host} did not answer in time` };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'reset', host, detail: `${host} closed the connection (${code})` };
  if (tlsCodes.test(code) || tlsCodes.test(err.message ?? '')) return { kind: 'tls', host, detail: `TLS to ${host} failed: ${err.reason ?? err.message ?? code}` };
  return { kind: 'other', host, detail: `${host}: ${code || err.message || String(e)}` };
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
