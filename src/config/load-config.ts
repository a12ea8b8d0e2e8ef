import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.ts';
import { didYouMean } from '../manifest/suggest.ts';
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
 * a folder above it, stopping at the repository root (a folder holding `.git`) so a checkout never picks up a file
 * from outside it.
 */
export function findConfig(manifestPath: string): string | undefined {
  let dir = dirname(manifestPath);
  for (;;) {
    const candidate = join(dir, configFileName);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir || existsSync(join(dir, '.git'))) return undefined;
    dir = up;
  }
}

/** Reads and checks a config file; every problem is reported at once, at its file:line:column. */
export async function loadConfig(path: string, cwd: string): Promise<LoadedConfig> {
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
        const setting = settings[key as SettingName] as Setting<unknown>;
        const value = isScalar(pair.value)
          ? pair.value.value
          : ((pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null);
        const parsed = setting.parse(value, dirname(path));
        const valueOffset = (pair.value as { range?: number[] } | null)?.range?.[0] ?? keyOffset;
        if (parsed.ok) (result as Record<string, unknown>)[key] = parsed.value;
        else at(valueOffset, `${key}: ${parsed.message}`, parsed.fix);
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

/** The config for a manifest: the one named with --config, or the one found above the manifest, or none. */
export async function configFor(manifestPath: string, cwd: string, explicit?: string): Promise<LoadedConfig> {
  const path = explicit !== undefined ? resolve(cwd, explicit) : findConfig(resolve(cwd, manifestPath));
  if (explicit !== undefined && !existsSync(path!))
    throw new UsageError(
      'config-not-found',
      `no config file ${explicit}`,
      `check the path, or leave out --config to use the ${configFileName} found beside the manifest or above it`,
    );
  return path ? loadConfig(path, cwd) : { settings: {} };
}
