import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import { didYouMean } from '../manifest/suggest.ts';
import { repositoryRoot } from '../write/editor-schema.ts';
import { printable } from '../write/record.ts';
import { settings, type Setting, type SettingName, type Settings } from './settings.ts';

export const configFileName = 'mail-oauth-runbook.config.yaml';
const maxConfigBytes = 64 * 1024;

export interface LoadedConfig {
  /** The config file, absolute; undefined when none was found. */
  path?: string;
  settings: Settings;
}

/**
 * The config file that applies to a manifest: the first `mail-oauth-runbook.config.yaml` in the manifest's folder or
 * a folder above it. A config file sets the templates that become the Exchange script and where the documents go, so
 * the search ends where a stranger could have put one: it looks no further than the repository root (a folder
 * holding `.git`) or the home folder, and stops before a folder the user does not own or that others may write to
 * (a shared or temporary folder such as /tmp) and before the file system's root.
 */
export function findConfig(
  manifestPath: string,
  home: string | undefined,
): { path?: string; ignored?: { path: string; why: string } } {
  // Trusted owners: you, and whoever owns the manifest's folder (a checkout owned by another uid than a CI job's).
  const start = dirname(manifestPath);
  const owners = new Set([process.getuid?.(), statSync(start, { throwIfNoEntry: false })?.uid]);
  for (let dir = start; dirname(dir) !== dir; dir = dirname(dir)) {
    const s = statSync(dir, { throwIfNoEntry: false });
    if (!s) return {};
    const candidate = join(dir, configFileName);
    const why = process.getuid && !owners.has(s.uid) ? 'is not yours' : s.mode & 0o002 ? 'others may write to' : '';
    if (why) return existsSync(candidate) ? { ignored: { path: candidate, why: `${dir} ${why}` } } : {};
    if (existsSync(candidate)) return { path: candidate };
    if (existsSync(join(dir, '.git')) || (home !== undefined && resolve(home) === dir)) return {};
  }
  return {};
}

/** Whether `path` (its links resolved, if it exists) lies inside the folder `root`. */
function inside(root: string, path: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const r = relative(real(root), real(path));
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** Reads and checks a config file; every problem is reported at once, at its file:line:column. */
export async function loadConfig(
  path: string,
  cwd: string,
  commandLine: readonly SettingName[] = [],
): Promise<LoadedConfig> {
  const shown = relative(cwd, path) || path;
  let text: string;
  try {
    const s = await stat(path);
    if (!s.isFile())
      throw new UsageError(
        'config-unreadable',
        `${shown} is not a file`,
        `the config file is a YAML file named ${configFileName}`,
      );
    if (s.size > maxConfigBytes)
      throw new UsageError(
        'config-unreadable',
        `${shown} is ${s.size} bytes; a config file is at most ${maxConfigBytes}`,
        'a config file holds a few settings; check that this is the right file',
      );
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      'config-unreadable',
      `cannot read ${shown} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      'check the path and its permissions',
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: string[] = [];
  const at = (offset: number | undefined, message: string, fix: string) => {
    const { line, col } = lines.linePos(offset ?? 0);
    problems.push(`${shown}:${line}:${col}: ${message}\n    fix: ${fix}`);
  };
  for (const e of doc.errors) at(e.pos[0], e.message.split('\n')[0]!, 'fix the YAML syntax at this place');
  const result: Settings = {};
  const names = Object.keys(settings) as SettingName[];
  if (!doc.errors.length && doc.contents !== null) {
    if (!isMap(doc.contents)) {
      at(
        doc.contents.range?.[0],
        'a config file is a mapping of settings',
        `write one setting a line, e.g. ${names[0]}: ${settings[names[0]!].example}`,
      );
    } else {
      for (const pair of doc.contents.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const keyOffset = (pair.key as { range?: number[] } | null)?.range?.[0];
        if (key === undefined || !Object.hasOwn(settings, key)) {
          const hint = key === undefined ? undefined : didYouMean(key, names);
          at(
            keyOffset,
            `unknown setting ${JSON.stringify(key ?? '?')}${hint ? ` — ${hint}` : ''}`,
            `the settings are: ${names.join(', ')}`,
          );
          continue;
        }
        if (commandLine.includes(key as SettingName)) continue; // the flag wins: the file's value is not used
        const setting = settings[key as SettingName] as Setting<unknown>;
        const value = isScalar(pair.value)
          ? pair.value.value
          : ((pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null);
        const parsed = setting.parse(value, dirname(path));
        const valueOffset = (pair.value as { range?: number[] } | null)?.range?.[0] ?? keyOffset;
        if (!parsed.ok) at(valueOffset, `${key}: ${parsed.message}`, parsed.fix);
        else if (key === 'templates' && !inside(repositoryRoot(path), parsed.value as string))
          // A config file's templates become the Exchange script: only ones that come with the config file.
          at(
            valueOffset,
            'templates: the folder is outside the repository this config file is in',
            'keep the templates in the repository, or name an outside folder on the command line with --templates',
          );
        else (result as Record<string, unknown>)[key] = parsed.value;
      }
    }
  }
  if (problems.length) {
    throw new UsageError(
      'config-invalid',
      `${shown} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`,
      `settings: ${names.map((n) => `${n} (${settings[n].description})`).join('; ')}`,
    );
  }
  return { path, settings: result };
}

/** Config files already named on stderr in this run (a run over many manifests names each once). */
const announced = new WeakMap<Io, Set<string>>();

/**
 * The config for a manifest: the one named with --config, or the one found above the manifest, or none. The file
 * used is always named on stderr, so settings never come from a file the user does not know of. Settings given on
 * the command line (`commandLine`) are not read from the file.
 */
export async function configFor(
  manifestPath: string,
  io: Io,
  explicit?: string,
  commandLine: readonly SettingName[] = [],
): Promise<LoadedConfig> {
  const found = explicit !== undefined ? {} : findConfig(resolve(io.cwd, manifestPath), io.env.HOME || homedir());
  const path = explicit !== undefined ? resolve(io.cwd, explicit) : found.path;
  const shown = (p: string) => printable(relative(io.cwd, p) || p);
  if (explicit !== undefined && !existsSync(path!))
    throw new UsageError(
      'config-not-found',
      `no config file ${explicit}`,
      `check the path, or leave out --config to use the ${configFileName} found beside the manifest or above it`,
    );
  const seen = announced.get(io) ?? new Set<string>();
  announced.set(io, seen);
  const once = (key: string, line: string) => {
    if (!seen.has(key)) io.stderr.write(line);
    seen.add(key);
  };
  if (found.ignored)
    once(
      found.ignored.path,
      `warning: not using ${shown(found.ignored.path)}: ${printable(found.ignored.why)}; name it with --config if it is yours\n`,
    );
  if (!path) return { settings: {} };
  const loaded = await loadConfig(path, io.cwd, commandLine);
  once(path, `using settings from ${shown(path)}\n`);
  return loaded;
}
