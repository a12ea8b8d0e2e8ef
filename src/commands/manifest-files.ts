import { existsSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.ts';
import { maxManifestBytes } from '../manifest/read.ts';
import { printable } from '../status/table.ts';

// Which manifests a command works on. With none named, `validate`, `generate` and `status` alike take every manifest
// under the current folder (the file `init` writes among them). A quoted glob ('runbooks/*.yaml') reaches the tool
// unexpanded from Windows shells, and from any shell when quoted, so the tool expands it as a POSIX shell would.

/** The manifests named (globs expanded, `-` kept), or with none named every manifest under `cwd`. */
export async function manifestsToUse(args: string[], cwd: string): Promise<string[]> {
  if (args.length === 0) {
    const found = await findManifests(cwd);
    if (found.length === 0)
      throw new UsageError(
        'no-manifests',
        `no mail-oauth-runbook manifest (a .yaml file with bizagi: and environments:) under ${printable(cwd)}`,
        'name the manifests, run from the folder that holds them, or create one with mail-oauth-runbook init',
      );
    return found;
  }
  const out: string[] = [];
  for (const arg of args) {
    // A file whose name holds a glob character is still that file, as in a shell.
    if (arg === '-' || !globChar.test(arg) || existsSync(resolve(cwd, arg))) {
      out.push(arg);
      continue;
    }
    const matches = await expandGlob(arg, cwd);
    if (matches.length === 0)
      throw new UsageError(
        'no-match',
        `no file matches ${printable(arg)}`,
        'check the folder and the pattern (* and ? match within one folder, ** across folders), e.g. runbooks/*.yaml',
      );
    out.push(...matches);
  }
  return out;
}

const globChar = /[*?[]/;

/** `*`, `?`, `[abc]`/`[!abc]` within a path segment and `**` across folders; hidden names only when written out. */
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const segments = pattern.split(sep === '\\' ? /[\\/]+/ : /\/+/);
  const first = segments.findIndex((s) => globChar.test(s));
  const prefix = segments.slice(0, first).join('/');
  const base = resolve(cwd, prefix === '' && pattern.startsWith('/') ? '/' : prefix || '.');
  const found: string[] = [];
  let entries = 0;
  const walk = async (dir: string, rest: string[], shown: string): Promise<void> => {
    const [segment, ...more] = rest;
    if (segment === undefined || ++entries > maxEntries) return;
    let list;
    try {
      list = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (segment === '**') {
      await walk(dir, more, shown); // ** matches no folder at all, too
      for (const d of list)
        if (d.isDirectory() && !d.name.startsWith('.') && !skipped.has(d.name))
          await walk(join(dir, d.name), rest, `${shown}${d.name}/`);
      return;
    }
    const re = segmentPattern(segment);
    for (const d of list) {
      if (!re.test(d.name) || (d.name.startsWith('.') && !segment.startsWith('.'))) continue;
      if (more.length === 0) {
        if (d.isFile() || d.isSymbolicLink()) found.push(`${shown}${d.name}`);
      } else if (d.isDirectory()) await walk(join(dir, d.name), more, `${shown}${d.name}/`);
    }
  };
  await walk(base, segments.slice(first), prefix === '' ? '' : `${prefix}/`);
  return [...new Set(found)].sort();
}

function segmentPattern(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    const close = c === '[' ? segment.indexOf(']', i + 2) : -1;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (close > 0) {
      const body = segment.slice(i + 1, close);
      re += `[${body.startsWith('!') ? `^${esc(body.slice(1))}` : esc(body)}]`;
      i = close;
    } else re += esc(c);
  }
  return new RegExp(`^${re}$`);
}

const esc = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => (c === '-' ? c : `\\${c}`));

/** Bounds, so a status run from the wrong folder (a home directory, a checkout with node_modules) ends quickly. */
const maxDepth = 8;
const maxEntries = 20_000;
const skipped = new Set(['node_modules']);

/** A manifest has `bizagi:` and `environments:` at the top level; other YAML (CI files, compose files) does not. */
export function looksLikeManifest(text: string): boolean {
  return /^bizagi[ \t]*:/m.test(text) && /^environments[ \t]*:/m.test(text);
}

/**
 * Every `*.yaml` / `*.yml` under `cwd` that looks like a manifest, as paths relative to it, sorted. Hidden folders
 * and node_modules are skipped, symbolic links are not followed, and files larger than a manifest may be are ignored.
 */
export async function findManifests(cwd: string): Promise<string[]> {
  const found: string[] = [];
  let entries = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    let list;
    try {
      list = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable folder holds nothing we can use; named files still get a clear error
    }
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of list) {
      if (++entries > maxEntries) return;
      const path = join(dir, d.name);
      if (d.isDirectory()) {
        if (depth < maxDepth && !d.name.startsWith('.') && !skipped.has(d.name)) await walk(path, depth + 1);
      } else if (d.isFile() && /\.ya?ml$/i.test(d.name) && (await headLooksLikeManifest(path))) {
        found.push(relative(cwd, path).split(sep).join('/'));
      }
    }
  };
  await walk(cwd, 0);
  return found.sort();
}

async function headLooksLikeManifest(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > maxManifestBytes) return false;
    const buffer = Buffer.alloc(size);
    await handle.read(buffer, 0, size, 0);
    return looksLikeManifest(buffer.toString('utf8'));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}
