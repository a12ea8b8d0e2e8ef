import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from './diagnostic.ts';
import { locate, position, type JsonPath, type ParsedYaml } from './parse.ts';
import { didYouMean } from './suggest.ts';
import { withMisplacedKeys } from './misplaced-keys.ts';

/** What a value at a schema location should look like, in words a user understands. */
const shapes: [RegExp, string, string][] = [
  [
    /\/\$defs\/guid\//,
    'a GUID such as 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b',
    'copy the ID again from the portal: 32 hex digits in groups of 8-4-4-4-12, without braces or spaces',
  ],
  [/\/\$defs\/email\//, 'an e-mail address such as hr@contoso.com', 'write the full address, e.g. name@contoso.com'],
  [
    /\/\$defs\/urlLabel\//,
    'lowercase letters, digits and hyphens, not starting or ending with a hyphen',
    'use the name exactly as it appears in the Bizagi cloud URL',
  ],
  [
    /\/workPortalUrl\//,
    'an https:// URL such as https://test-hr-contoso.bizagi.com (no query or fragment)',
    'write the Work Portal base URL, starting with https://',
  ],
  [
    /\/secret\/properties\/env\//,
    'an environment variable name such as HR_TEST_MAIL_SECRET',
    'name the variable that holds the secret Value (letters, digits, underscores)',
  ],
  [
    /\/expires\//,
    'a date written YYYY-MM-DD',
    'write the expiry date shown under Certificates & secrets, e.g. 2027-05-31',
  ],
  [/\/domain\//, 'a domain name such as contoso.onmicrosoft.com', 'write the domain without https:// or slashes'],
];

const environmentName = {
  expected:
    'an environment name of lowercase letters, digits and hyphens (up to 32, starting with a letter, not a reserved device name such as con or nul)',
  fix: 'rename the environment, e.g. test, uat or production',
};

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

const dotted = (path: JsonPath): string =>
  path.length
    ? path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')
    : 'the top level';

export function validateSchema(parsed: ParsedYaml, value: unknown, validate: ValidateFunction): Diagnostic[] {
  if (validate(value)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'propertyNames') continue; // reported by its inner error, which names the key
    const key = `${e.instancePath}|${String(e.params.additionalProperty ?? e.params.missingProperty ?? e.propertyName ?? '')}`;
    if (seen.has(key)) continue; // one diagnostic per place: a format and a pattern on the same value say the same thing
    seen.add(key);
    out.push(toDiagnostic(parsed, e));
  }
  return withMisplacedKeys(parsed, out);
}

function toDiagnostic(parsed: ParsedYaml, e: ErrorObject): Diagnostic {
  const path: (string | number)[] = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const at = (p: JsonPath, want: 'key' | 'value' = 'value') => {
    const r = locate(parsed, p, want);
    return { ...position(parsed.lines, r.offset), offset: r.offset, length: r.length, path: p };
  };
  const base = { file: parsed.file, severity: 'error' as const };
  const shape = shapes.find(([re]) => re.test(`${e.schemaPath}/`));
  const parent = e.parentSchema as
    { properties?: Record<string, { description?: string }>; description?: string } | undefined;

  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params.additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      return {
        ...base,
        ...at([...path, name], 'key'),
        code: 'unknown-key',
        message: `unknown key "${name}" in ${dotted(path)}`,
        expected: `one of: ${allowed.join(', ')}`,
        fix: didYouMean(name, allowed) ?? `remove "${name}" or move it to where it belongs`,
      };
    }
    case 'required': {
      const name = String(e.params.missingProperty);
      const about = parent?.properties?.[name]?.description;
      return {
        ...base,
        ...at(path.length ? path : [], path.length ? 'key' : 'value'),
        code: 'missing-key',
        message: `${dotted(path)} has no "${name}"`,
        expected: about ? `${name}: ${about}` : `a "${name}" key`,
        fix: `add "${name}:" to ${dotted(path)}`,
      };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      return {
        ...base,
        ...at(path),
        code: 'invalid-value',
        message: `${show(e.data)} is not a valid value for ${dotted(path)}`,
        expected: `one of: ${allowed.join(', ')}`,
        fix:
          (typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined) ?? `use one of: ${allowed.join(', ')}`,
      };
    }
    case 'const':
      return {
        ...base,
        ...at(path),
        code: 'unsupported-version',
        message: `${dotted(path)} is ${show(e.data)}, but this tool reads format version ${show(e.params.allowedValue)}`,
        expected: String(e.params.allowedValue),
        fix: `write "version: ${show(e.params.allowedValue)}"`,
      };
    case 'type':
      return {
        ...base,
        ...at(path),
        code: 'wrong-type',
        message: `${dotted(path)} is ${describe(e.data)}`,
        expected: `${article(String(e.params.type))}${shape ? ` (${shape[1]})` : ''}`,
        fix:
          e.params.type === 'string'
            ? 'write the value as text (quote it if YAML reads it as something else)'
            : `write ${dotted(path)} as ${article(String(e.params.type))}`,
      };
    case 'pattern':
    case 'format': {
      if (e.propertyName !== undefined) {
        return {
          ...base,
          ...at([...path, e.propertyName], 'key'),
          code: 'invalid-environment-name',
          message: `environment name ${show(e.propertyName)} cannot be used: it becomes a folder name and part of a URL`,
          expected: environmentName.expected,
          fix: environmentName.fix,
        };
      }
      if (
        /\/secret\/properties\/env\//.test(`${e.schemaPath}/`) &&
        typeof e.data === 'string' &&
        /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(e.data.trim())
      ) {
        return {
          ...base,
          ...at(path),
          code: 'secret-id-in-env',
          message: `${dotted(path)} looks like a Secret ID (a GUID), not the name of an environment variable`,
          expected: shape?.[1],
          fix: 'the Secret ID is not needed anywhere; write the name of the environment variable that will hold the secret Value, e.g. HR_TEST_MAIL_SECRET',
        };
      }
      return {
        ...base,
        ...at(path),
        code: codeFor(path),
        message: `${show(e.data)} is not valid for ${dotted(path)}`,
        expected:
          shape?.[1] ?? (e.keyword === 'format' ? `a valid ${String(e.params.format)}` : 'text of the documented form'),
        fix: specificFix(e.data) ?? shape?.[2] ?? 'see the schema description of this field',
      };
    }
    case 'minItems':
    case 'minProperties':
      return {
        ...base,
        ...at(path),
        code: 'empty',
        message: `${dotted(path)} is empty`,
        expected: 'at least one entry',
        fix: `add at least one entry to ${dotted(path)}`,
      };
    case 'maxLength':
    case 'minLength':
      return {
        ...base,
        ...at(path),
        code: e.keyword === 'maxLength' ? 'too-long' : 'empty',
        message: `${dotted(path)} ${e.keyword === 'maxLength' ? `is longer than ${String(e.params.limit)} characters` : 'is empty'}`,
        expected: `${e.keyword === 'maxLength' ? 'at most' : 'at least'} ${String(e.params.limit)} characters`,
        fix: e.keyword === 'maxLength' ? 'shorten it' : 'write a value or remove the key',
      };
    case 'uniqueItems':
      return {
        ...base,
        ...at([...path, Number(e.params.i)]),
        code: 'duplicate-item',
        message: `${dotted(path)} lists the same value twice (items ${Number(e.params.j) + 1} and ${Number(e.params.i) + 1})`,
        expected: 'each value once',
        fix: 'remove the repeated entry',
      };
    default:
      return {
        ...base,
        ...at(path),
        code: 'schema',
        message: `${dotted(path)} ${e.message ?? 'is invalid'}`,
        fix: 'see the schema description of this field',
      };
  }
}

function codeFor(path: JsonPath): string {
  const last = String(path[path.length - 1] ?? '');
  if (/Id$|^id$/.test(last)) return 'invalid-guid';
  if (['address', 'itSupport', 'exchangeAdmin', 'group'].includes(last) || path.includes('sendAs'))
    return 'invalid-email';
  if (last === 'workPortalUrl') return 'invalid-url';
  if (last === 'expires') return 'invalid-date';
  return 'invalid-format';
}

/** Fixes for the copy-paste mistakes people make most, recognised from the value itself. */
function specificFix(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (/^[^@\s]*[*?][^@\s]*@/.test(v))
    return 'remove the wildcard (* or ?) and write the exact address: Exchange cmdlets read it as a pattern that can match other mailboxes';
  if (/^https?\/\//i.test(v)) return 'the colon after "https" is missing: write https://';
  if (/^http:\/\//i.test(v)) return 'use https://';
  if (/^\{[0-9a-f-]{36}\}$/i.test(v.trim())) return 'remove the braces around the GUID';
  if (/^\s|\s$/.test(v)) return 'remove the spaces around the value';
  return undefined;
}

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const describe = (v: unknown): string =>
  v === null
    ? 'empty (null)'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'a mapping'
        : `${article(typeof v)} (${show(v)})`;
