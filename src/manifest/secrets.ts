import { visit, type Document } from 'yaml';

// Entra client secret values look like three characters, a digit, "Q~", then 31-34 more characters. A match is
// widened to the whole run of secret characters around it, so a value with characters glued on before or after
// (a prefix, a stray paste) is still caught, and masked whole.
const secretChar = '[A-Za-z0-9_.~-]';
const secretCore = new RegExp(`${secretChar}{3}[0-9]Q~${secretChar}{31,}`, 'g');
const isSecretChar = /[A-Za-z0-9_.~-]/;

export interface SecretHit {
  offset: number;
  length: number;
}

export function findSecretValues(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const m of text.matchAll(secretCore)) {
    let start = m.index;
    while (start > 0 && isSecretChar.test(text[start - 1]!)) start--;
    hits.push({ offset: start, length: m.index + m[0].length - start });
  }
  return hits;
}

export const looksLikeSecret = (text: string): boolean => findSecretValues(text).length > 0;

// The start of a secret value in any YAML spelling of its "~" (plain, \x, \u, \U escapes), with what follows it in
// the same scalar (more secret characters, escapes, a backslash line continuation).
const fragment =
  /[A-Za-z0-9_.~-]{3}[0-9]Q(?:~|\\x7e|\\u007e|\\U0000007e)(?:[A-Za-z0-9_.~-]|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|\\U[0-9a-f]{8}|\\\r?\n[ \t]*)*/gi;

/**
 * Where the text may spell part of a secret, for excerpts only: when the YAML cannot be parsed, a value's parsed
 * form is unknown, so anything that starts like a secret is masked (a false alarm only hides a little of an excerpt).
 */
export function findSecretFragments(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const m of text.matchAll(fragment)) {
    let start = m.index;
    while (start > 0 && isSecretChar.test(text[start - 1]!)) start--;
    hits.push({ offset: start, length: m.index + m[0].length - start });
  }
  return hits;
}

/** The text with every secret-like value replaced by X of the same length, so offsets and columns still hold (not `*`: YAML reads that as an alias). */
export function maskSecrets(text: string, hits: readonly SecretHit[] = findSecretValues(text)): string {
  if (hits.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const h of [...hits].sort((a, b) => a.offset - b.offset)) {
    if (h.offset < at) continue;
    parts.push(text.slice(at, h.offset), text.slice(h.offset, h.offset + h.length).replace(/[^\r\n]/g, 'X'));
    at = h.offset + h.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * The raw text is scanned before parsing, but YAML can spell a value differently from its text: escapes (`\x7e`,
 * `\u007E` for `~`), line folding. This scans every parsed scalar (keys too), masks the value of each that holds a
 * secret-like value (so no diagnostic can echo it) and returns the source range of each, to mask the excerpts.
 */
export function maskSecretScalars(doc: Document.Parsed): SecretHit[] {
  const hits: SecretHit[] = [];
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== 'string' || !looksLikeSecret(node.value)) return;
      node.value = maskSecrets(node.value);
      if (node.range) hits.push({ offset: node.range[0], length: Math.max(1, node.range[1] - node.range[0]) });
    },
  });
  return hits;
}
