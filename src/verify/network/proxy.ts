import { request } from 'node:http';
import type { Socket } from 'node:net';
import { UsageError } from '../../errors.ts';
import { eg, isFlag, shown } from '../input/options.ts';

/**
 * The HTTP proxy verify goes through for `host`: --proxy, else HTTPS_PROXY / https_proxy; none for hosts listed in
 * NO_PROXY / no_proxy (exact names, `.suffix` or `suffix` matches, `*` for all), as curl does.
 */
export function proxyFor(
  host: string,
  explicit: string | undefined,
  env: Record<string, string | undefined>,
): URL | undefined {
  const raw = explicit ?? env.HTTPS_PROXY ?? env.https_proxy;
  if (!raw) return undefined;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (noProxy.some((n) => n === '*' || h === n.replace(/^\./, '') || h.endsWith(n.startsWith('.') ? n : `.${n}`)))
    return undefined;
  return parseProxy(raw);
}

export function parseProxy(raw: string, name = '--proxy'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      'bad-option',
      `the proxy${shown(name, raw.replace(/\/\/[^@/]*@/, '//…@'))} is not a URL`,
      eg(name, 'http://proxy.contoso.com:8080'),
    );
  }
  if (url.protocol !== 'http:')
    throw new UsageError(
      'bad-option',
      `only http:// proxies (HTTP CONNECT) are supported${isFlag(name) ? `, not ${url.protocol}` : ''}`,
      eg(name, 'http://proxy.contoso.com:8080'),
    );
  return url;
}

/**
 * Opens a TCP tunnel to host:port through an HTTP CONNECT proxy; TLS is then negotiated end to end over it. Every
 * failure before the tunnel stands names the proxy, not the destination: it is the proxy that refused or is down.
 */
export function tunnel(proxy: URL, host: string, port: number, opts: { signal?: AbortSignal } = {}): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username)
      headers['proxy-authorization'] =
        `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
    const req = request({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: authority,
      headers,
      signal: opts.signal,
    });
    const proxyError = (message: string) => Object.assign(new Error(message), { code: 'EPROXY' });
    req.on('connect', (res, socket, head) => {
      // A server that speaks first (SMTP's greeting) may have its first bytes arrive with the proxy's answer.
      if (res.statusCode === 200) {
        if (head.length) socket.unshift(head);
        return resolve(socket);
      }
      socket.destroy();
      reject(proxyError(`the proxy ${proxy.host} refused the tunnel to ${authority}: HTTP ${res.statusCode}`));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') return reject(e);
      const code = e.code ?? 'error';
      if (code === 'ECONNREFUSED')
        return reject(
          proxyError(`the proxy ${proxy.host} refused the connection (is it running, and is this its address?)`),
        );
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return reject(proxyError(`cannot resolve the proxy's host name ${proxy.hostname} (${code})`));
      reject(proxyError(`the proxy ${proxy.host} failed before the tunnel to ${authority} was open (${code})`));
    });
    req.end();
  });
}
