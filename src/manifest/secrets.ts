// Entra client secret values look like three characters, a digit, "Q~", then 31-34 more characters; we accept a
// few more so a value with a stray character pasted on is still caught.
const secretChar = '[A-Za-z0-9_.~-]';
const secretPattern = new RegExp(`(?<!${secretChar})${secretChar}{3}[0-9]Q~${secretChar}{31,40}(?!${secretChar})`, 'g');

export interface SecretHit {
  offset: number;
  length: number;
}

export function findSecretValues(text: string): SecretHit[] {
  return [...text.matchAll(secretPattern)].map((m) => ({ offset: m.index, length: m[0].length }));
}

export const looksLikeSecret = (text: string): boolean => findSecretValues(text).length > 0;

/** The text with every secret-like value replaced by X of the same length, so offsets and columns still hold (not `*`: YAML reads that as an alias). */
export function maskSecrets(text: string, hits: readonly SecretHit[] = findSecretValues(text)): string {
  let out = text;
  for (const h of hits) out = out.slice(0, h.offset) + 'X'.repeat(h.length) + out.slice(h.offset + h.length);
  return out;
}
