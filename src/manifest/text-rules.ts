import type { Diagnostic } from './diagnostic.ts';
import { dottedPath, placeAt, type JsonPath, type ParsedYaml } from './parse.ts';

// Characters no value of a manifest needs, refused in every key and string, wherever they are:
// - bidirectional controls (Unicode's Bidi_Control: U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) make a
//   document or script display in another order than it is read, so a reviewer sees something other than what runs;
// - a lone UTF-16 surrogate (only a YAML escape such as "\ud800" can make one) is written to a file as U+FFFD, so
//   the output never matches the manifest again and `generate --check` never passes.
const bidi = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
const dotted = (path: JsonPath): string => (path.length ? dottedPath(path) : 'the top level');

/** Every key and string value of the parsed manifest, checked for invisible characters that change what it means. */
export function checkText(parsed: ParsedYaml, value: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (text: string, path: JsonPath, want: 'key' | 'value') => {
    const b = bidi.exec(text);
    const s = loneSurrogate.exec(text);
    if (!b && !s) return;
    const where = `${want === 'key' ? 'the key' : 'the value of'} ${dotted(path)}`;
    out.push({
      ...placeAt(parsed, path, want),
      severity: 'error',
      ...(b
        ? {
            code: 'bidi-control',
            message: `${where} holds an invisible bidirectional-control character (${hex(b[0])}) at character ${b.index + 1}: it makes text display in another order than it is read`,
            fix: 'delete it (retype the value by hand); documents and scripts must show reviewers exactly what runs',
          }
        : {
            code: 'lone-surrogate',
            message: `${where} holds half of a UTF-16 surrogate pair (${hex(s![0])}) at character ${s!.index + 1}, which is not a character`,
            fix: 'write the character itself, or its \\U escape with all 8 hex digits, instead of a \\u escape of one half',
          }),
    });
  };
  // An explicit stack: a deep value must not overflow the call stack.
  const stack: [unknown, JsonPath][] = [[value, []]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') check(v, path, 'value');
    else if (Array.isArray(v)) v.forEach((item, i) => stack.push([item, [...path, i]]));
    else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        check(k, [...path, k], 'key');
        stack.push([item, [...path, k]]);
      }
    }
  }
  return out;
}
