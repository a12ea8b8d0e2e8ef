import { request } from 'node:http';
import type { Socket } from 'node:net';
import { UsageError } from '../errors.ts';
import { TimeoutError } from './network-failure.ts';

/**
 * The HTTP proxy verify goes through for `host`: --proxy, else HTTPS_PROXY / https_proxy; none for hosts listed in
 * NO_PROXY / no_proxy (exact names, `.suffix` or `suffix` matches, `*` for all), as curl does.
 */
export function proxyFor(host: string, explicit: string | undefined, env: Record<string, string | undefined>): URL | undefined {
  const raw = explicit ?? env.HTTPS_PROXY ?? env.https_proxy;
  if (!raw) return undefined;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (noProxy.some((n) => n === '*' || h === n.replace(/^\./, '') || h.endsWith(n.startsWith('.') ? n : `.${n}`))) return undefined;
  return parseProxy(raw);
}

export function parseProxy(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('bad-option', `the proxy "${raw.replace(/\/\/[^@/]*@/, '//…@')}" is not a URL`, 'e.g. --proxy http://proxy.contoso.com:8080');
  }
  if (url.protocol !== 'http:') throw new UsageError('bad-option', `only http:// proxies (HTTP CONNECT) are supported, not ${url.protocol}`, 'e.g. --proxy http://proxy.contoso.com:8080');
  return url;
}

/** Opens a TCP tunnel to host:port through an HTTP CONNECT proxy; TLS is then negotiated end to end over it. */
export function tunnel(proxy: URL, host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username) headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
    const req = request({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80), method: 'CONNECT', path: authority, headers, timeout: timeoutMs });
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(Object.assign(new Error(`the proxy ${proxy.host} refused the tunnel to ${authority}: HTTP ${res.statusCode}`), { code: 'EPROXY' }));
    });
    req.on('timeout', () => req.destroy(new TimeoutError(`the proxy ${proxy.host} did not answer in time`)));
    req.on('error', reject);
    req.end();
  });
}
