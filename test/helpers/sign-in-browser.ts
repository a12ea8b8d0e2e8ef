import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';

// The administrator's browser in a sign-in test: opens the URL msal gives, follows redirects and submits the
// form_post page to the loopback redirect URI, as a browser with an existing session does without a click.
// HTTPS is checked against the test CA only.

export interface BrowserVisit {
  /** Every request made: method and URL (the authorize URL's query included: it holds no secret). */
  steps: string[];
  status: number;
  body: string;
  /** Where the last answer redirected to, when the visit stopped at `hops`. */
  location?: string;
}

function send(
  method: 'GET' | 'POST',
  url: URL,
  ca: string,
  form?: string,
): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = form
      ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) }
      : {};
    const done = (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ res, body }));
    };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { method, headers, ca }, done)
        : httpRequest(url, { method, headers }, done);
    req.on('error', reject);
    req.end(form);
  });
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');

/** Loads `start` and what it leads to, at most `hops` requests. */
export async function visit(start: string, ca: string, hops = 5): Promise<BrowserVisit> {
  const steps: string[] = [];
  let next: { method: 'GET' | 'POST'; url: URL; form?: string } = { method: 'GET', url: new URL(start) };
  for (let hop = 1; ; hop++) {
    steps.push(`${next.method} ${next.url.href}`);
    const { res, body } = await send(next.method, next.url, ca, next.form);
    const status = res.statusCode ?? 0;
    if (hop === hops) return { steps, status, body, location: res.headers.location };
    if (status >= 300 && status < 400 && res.headers.location) {
      next = { method: 'GET', url: new URL(res.headers.location, next.url) };
      continue;
    }
    const form = /<form method="POST"[^>]* action="([^"]*)">([\s\S]*?)<\/form>/i.exec(body);
    if (status !== 200 || !form) return { steps, status, body };
    const fields = new URLSearchParams();
    for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)" \/>/g))
      fields.append(unescape(m[1]!), unescape(m[2]!));
    next = { method: 'POST', url: new URL(unescape(form[1]!)), form: fields.toString() };
  }
}
