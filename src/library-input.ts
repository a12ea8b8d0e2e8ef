import { UsageError } from './errors.ts';

// The library's callers are programs: a value in the wrong place (a secret passed as an environment name, an option
// misspelt) must be refused with the library's own error, saying which argument and what was expected, never
// echoing the value, which may be a secret.

const kind = (v: unknown): string =>
  v === null
    ? 'null'
    : v === undefined
      ? 'nothing'
      : Array.isArray(v)
        ? 'a list'
        : typeof v === 'object'
          ? 'an object'
          : `a ${typeof v}`;

/** Refuses an argument: names it and what it must be, and says what kind of value came (never the value). */
export function badArgument(fn: string, name: string, expected: string, found?: unknown): UsageError {
  return new UsageError(
    'bad-argument',
    `${fn}: ${name} must be ${expected}${found === undefined ? '' : `, not ${kind(found)}`} (the value given is not shown)`,
    `pass ${expected} as ${name}; see the library section of the README`,
  );
}

/** Checks one argument with `ok`, or refuses it. */
export function argument<T>(
  fn: string,
  name: string,
  value: unknown,
  expected: string,
  ok: (v: unknown) => boolean,
): T {
  if (!ok(value)) throw badArgument(fn, name, expected, value);
  return value as T;
}

export const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An options argument: nothing, or an object holding only the option names listed. An unknown name is refused
 * without being shown (a value put where a name goes would be printed otherwise); the known names are listed.
 */
export function options(fn: string, value: unknown, names: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isObject(value)) throw badArgument(fn, 'the options', `an object (${names.join(', ')})`, value);
  const unknown = Object.keys(value).filter((k) => !names.includes(k)).length;
  if (unknown)
    throw new UsageError(
      'unknown-option',
      `${fn}: ${unknown === 1 ? 'an option' : `${unknown} options`} it does not know (${unknown === 1 ? 'its name is' : 'their names are'} not shown); the options are: ${names.join(', ')}`,
      'check the option names (they are case-sensitive)',
    );
  return value;
}

/** A plan as buildPlan returns it (at least its shape: an object with a list of named environments). */
export const isPlan = (v: unknown): boolean =>
  isObject(v) &&
  Array.isArray(v.environments) &&
  v.environments.every((e: unknown) => isObject(e) && typeof e.name === 'string');

export const isDate = (v: unknown): boolean =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export { isObject };
