import type { Output } from '../cli/io.ts';

/** Replaces every occurrence of the given secrets (and their base64 forms) with [REDACTED]. */
export function redactor(secrets: () => readonly string[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const s of secrets()) {
      if (s.length < 4) continue;
      for (const form of [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)]) out = out.split(form).join('[REDACTED]');
    }
    return out;
  };
}

/** An output that redacts before writing: the last line of defence for anything verify prints. */
export function redactingOutput(out: Output, redact: (t: string) => string): Output {
  return { write: (s: string) => out.write(redact(s)), isTTY: out.isTTY };
}

/**
 * A line the client sent, with any SASL response removed as a whole: the XOAUTH2 payload is base64 of the user and
 * the token together, so searching it for the token would not find it.
 */
export function withoutSasl(line: string): string {
  if (/\bAUTH(?:ENTICATE)?\s+XOAUTH2\s+\S/i.test(line)) return line.replace(/(XOAUTH2)\s+.*$/i, '$1 [SASL response not shown]');
  if (/^[A-Za-z0-9+/]{16,}={0,2}$/.test(line.trim())) return '[SASL response not shown]';
  return line;
}
