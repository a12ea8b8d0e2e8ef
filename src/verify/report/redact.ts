import type { Output } from '../../io.ts';
import { neutralise } from './inert.ts';

/**
 * The forms a secret can take in what a server echoes or a library prints: as is, base64 and base64url at each of
 * the three byte alignments it can have inside a longer encoded text (the XOAUTH2 response is base64 of
 * "user=…\x01auth=Bearer <token>\x01\x01"), hex, URL- and form-encoded, and JSON-escaped.
 */
export function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ]);
  forms.add(bytes.toString('hex')).add(bytes.toString('hex').toUpperCase());
  for (let shift = 0; shift < 3; shift++) {
    // Only the characters that depend on the secret's bytes alone: drop the group shared with what precedes it and
    // the last, partial group shared with what follows.
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const core = b64.slice(shift ? 4 : 0, Math.floor((shift + bytes.length) / 3) * 4);
    if (core.length >= 8)
      forms.add(core).add(core.replace(/\+/g, '-').replace(/\//g, '_')).add(encodeURIComponent(core));
  }
  // An encoded text ending with the secret: its full padded form too.
  forms.add(bytes.toString('base64')).add(bytes.toString('base64url'));
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

/**
 * How many consecutive characters of a secret are enough to be redacted: a server that echoes a prefix, a suffix or
 * a slice of the secret (the secret minus its last character, say) gives most of it away. 12 characters of an Entra
 * ID secret Value (about 40) are far too many to leave, and no ordinary text holds 12 of its characters in a row.
 */
export const secretRun = 12;

type Windows = Map<number, Set<string>>;

/**
 * Every run of `secretRun` characters of each encoded form (twice as many in hex, two digits a byte), by length: a
 * text holding any of them holds at least that much of the secret. A form shorter than that is matched whole.
 */
function windowsOf(secret: string): Windows {
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  const windows: Windows = new Map();
  for (const form of encodedForms(secret)) {
    const size = Math.min(form.length, form.toLowerCase() === hex ? 2 * secretRun : secretRun);
    let set = windows.get(size);
    if (!set) windows.set(size, (set = new Set()));
    for (let i = 0; i + size <= form.length; i++) set.add(form.slice(i, i + size));
  }
  return windows;
}

/**
 * Replaces every run of at least `secretRun` consecutive characters of the given secrets, in any of their encoded
 * forms, with [REDACTED] (a shorter secret only whole).
 */
export function redactor(secrets: () => readonly string[]): (text: string) => string {
  const cache = new Map<string, Windows>();
  return (text) => {
    // Marks each character inside a window of a secret; overlapping windows join into one run.
    const hidden = new Uint8Array(text.length);
    let any = false;
    for (const s of secrets()) {
      if (s.length < 4) continue;
      let windows = cache.get(s);
      if (!windows) cache.set(s, (windows = windowsOf(s)));
      for (const [size, set] of windows)
        for (let i = 0; i + size <= text.length; i++)
          if (set.has(text.slice(i, i + size))) {
            hidden.fill(1, i, i + size);
            any = true;
          }
    }
    if (!any) return text;
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (!hidden[i]) out += text[i];
      else if (i === 0 || !hidden[i - 1]) out += '[REDACTED]';
    }
    // What stays glued to a redaction is the rest of the same encoded text (the "user=…auth=Bearer" part of an
    // XOAUTH2 response around its token, the bits of a base64 group shared with the secret): it goes too.
    return out.replace(/[A-Za-z0-9+/_%-]*\[REDACTED\][A-Za-z0-9+/_%=-]*/g, '[REDACTED]');
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
  if (/\bAUTH(?:ENTICATE)?\s+XOAUTH2\s+\S/i.test(line))
    return line.replace(/(XOAUTH2)\s+.*$/i, '$1 [SASL response not shown]');
  if (/^[A-Za-z0-9+/]{16,}={0,2}$/.test(line.trim())) return '[SASL response not shown]';
  return line;
}

/** A dependency's error as it may be shown: redacted and inert, its stack dropped (it could hold the secret too). */
export function concealedError(e: unknown, redact: (t: string) => string): Error {
  return new Error(neutralise(redact(e instanceof Error ? e.message : String(e))));
}
