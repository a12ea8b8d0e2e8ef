import type { Diagnostic } from './diagnostic.ts';
import { dottedPath, placeAt, type JsonPath, type ParsedYaml } from './parse.ts';

// `init` writes `<…>` where it has no answer (a company, a mailbox): the file still parses and the editor completes
// it, but no document may be generated for a company that is not the user's. Each one is an error of its own, with
// what to write there, instead of the schema's pattern message about angle brackets.

/** A whole value in angle brackets, as `init` writes them (`<company>`, `<mailbox address>`). */
export const isPlaceholder = (v: unknown): v is string => typeof v === 'string' && /^<[^<>\n]{1,80}>$/.test(v);

const fixes: [RegExp, string][] = [
  [
    /^bizagi\.company$/,
    'write your Bizagi company, as in https://<env>-<project>-<company>.bizagi.com (lowercase letters, digits and hyphens)',
  ],
  [/^bizagi\.project$/, 'write the Bizagi project name, as in https://<env>-<project>-<company>.bizagi.com'],
  [/\.mailboxes\[\d+\]\.address$/, 'write the address of the mailbox Bizagi reads or sends from in this environment'],
  [/\.workPortalUrl$/, "write the environment's Work Portal URL, e.g. https://bizagi.contoso.local/hr"],
  [/^contacts\./, 'write the address, or delete the line (contacts are optional)'],
];

/** Every placeholder value left in the manifest, as an error at the value. */
export function checkPlaceholders(parsed: ParsedYaml, value: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (v: unknown, path: JsonPath): void => {
    if (isPlaceholder(v)) {
      const where = dottedPath(path);
      out.push({
        ...placeAt(parsed, path),
        severity: 'error',
        code: 'placeholder',
        message: `${where} is still the placeholder ${v} that init wrote`,
        fix: fixes.find(([re]) => re.test(where))?.[1] ?? 'replace it with the real value',
        path,
      });
    } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(value, []);
  return out;
}

/** The schema's complaints about a value that is a placeholder say nothing the placeholder error does not. */
export const notAtPlaceholder = (placeholders: Diagnostic[]) => {
  const at = new Set(placeholders.map((p) => JSON.stringify(p.path)));
  return (d: Diagnostic): boolean => !at.has(JSON.stringify(d.path));
};
