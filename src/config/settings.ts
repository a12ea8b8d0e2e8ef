// The team settings a config file may hold. Adding a setting is one line in `settings` below: its kind checks the
// value and turns it into what the commands use; its description feeds the error messages and the README.
import { isAbsolute, resolve } from 'node:path';
import { flavors } from '../render/flavors.ts';

/** A checked value, or what is wrong with it and how to fix it. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; fix: string };

export interface Setting<T> {
  /** What the setting means, and which flag it stands for. */
  description: string;
  /** An example value, as written in the config file. */
  example: string;
  /** Checks a value from the file; `dir` is the config file's folder (relative paths are relative to it). */
  parse: (value: unknown, dir: string) => Parsed<T>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string, fix: string): Parsed<never> => ({ ok: false, message, fix });
const describe = (v: unknown) =>
  v === null
    ? 'nothing (null)'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'a mapping'
        : `the ${typeof v} ${JSON.stringify(v)}`;

/** A folder, relative to the config file's folder. */
export const folder = (description: string, example: string): Setting<string> => ({
  description,
  example,
  parse: (v, dir) =>
    typeof v === 'string' && v.trim() !== ''
      ? ok(isAbsolute(v) ? v : resolve(dir, v))
      : bad(
          `expected a folder path, found ${describe(v)}`,
          `write a path relative to the config file, e.g. ${example}`,
        ),
});

/** A folder that may hold `{manifest}`: the manifest's file name without its extension, so several manifests share it. */
export const folderPattern = (description: string, example: string): Setting<(manifestName: string) => string> => ({
  description,
  example,
  parse: (v, dir) => {
    if (typeof v !== 'string' || v.trim() === '')
      return bad(
        `expected a folder path, found ${describe(v)}`,
        `write a path relative to the config file, e.g. ${example}`,
      );
    const unknown = /\{(?!manifest\})[^}]*\}/.exec(v);
    if (unknown)
      return bad(
        `unknown placeholder ${unknown[0]}`,
        'the only placeholder is {manifest} (the manifest file name without its extension)',
      );
    return ok((manifestName: string) => {
      const path = v.split('{manifest}').join(manifestName);
      return isAbsolute(path) ? path : resolve(dir, path);
    });
  },
});

/** true or false. */
export const flag = (description: string): Setting<boolean> => ({
  description,
  example: 'true',
  parse: (v) =>
    typeof v === 'boolean' ? ok(v) : bad(`expected true or false, found ${describe(v)}`, 'write true or false'),
});

/** One of a fixed list of words. */
export const oneOf = <const W extends string>(words: readonly W[], description: string): Setting<W> => ({
  description,
  example: words[0]!,
  parse: (v) =>
    typeof v === 'string' && (words as readonly string[]).includes(v)
      ? ok(v as W)
      : bad(`expected one of ${words.join(', ')}, found ${describe(v)}`, `write one of ${words.join(', ')}`),
});

export const settings = {
  templates: folder(
    'folder whose .hbs files override the bundled templates of the same name (as generate --templates)',
    'branding/templates',
  ),
  out: folderPattern(
    'where generate writes the documents, and where verify links to them; {manifest} is the manifest file name without extension (as generate --out)',
    'docs/{manifest}',
  ),
  flavor: oneOf(
    flavors,
    'the Markdown flavour of the documents: github, azure-devops or portable (as generate --flavor)',
  ),
  html: flag("also write each environment's HTML handout, handout.html (as generate --html)"),
} satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof settings;
type ValueOf<S> = S extends Setting<infer T> ? T : never;
/** The checked settings of one config file; a setting the file leaves out is absent. */
export type Settings = { -readonly [K in SettingName]?: ValueOf<(typeof settings)[K]> };
