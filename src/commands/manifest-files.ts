import { open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { maxManifestBytes } from '../manifest/read.ts';
import { defaultInitFile } from './init.ts';

// Which manifests a command works on when none is named. `generate` and `validate` take the file `init` writes;
// `status`, which is meant for a whole docs repository, looks for every manifest under the current folder.

export const defaultManifests = (files: string[]): string[] => (files.length ? files : [defaultInitFile]);

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
