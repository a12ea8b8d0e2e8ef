/**
 * Text from outside (server replies, token claims, error messages of dependencies) made inert before it reaches a
 * terminal, a JSON string or a report: control characters (ESC sequences that clear the screen or fake a line,
 * carriage returns that overwrite one, bidirectional overrides that reorder what is shown) become visible escapes,
 * and an overlong text is cut with a mark.
 */

// C0 controls and DEL, C1 controls, line/paragraph separators, bidirectional embeddings/overrides/isolates and marks.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

export const maxOutsideText = 2000;

/** `max` cuts overlong text: only after redaction, so a cut never leaves part of a secret unrecognised. */
export function neutralise(text: string, max = maxOutsideText): string {
  const shown = text.replace(unsafe, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return shown.length > max ? `${shown.slice(0, max)}… (${shown.length - max} more characters not shown)` : shown;
}

/**
 * A deep copy with every string redacted, then neutralised: redaction first, so a secret split by an escape cannot
 * slip through; before any JSON or Markdown escaping, so an escaped form of a secret cannot either.
 */
export function inert<T>(value: T, redact: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return neutralise(redact(v));
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [neutralise(redact(k)), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
