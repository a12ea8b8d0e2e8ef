import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { ManifestLocation } from '../plan/plan.ts';

/**
 * How documents name the manifest in the commands they show: its path from the top of its git repository (where a
 * reader of committed documents runs commands), so the same manifest gives the same bytes from any working folder;
 * outside a repository, its bare file name (documents never carry absolute paths).
 */
export function manifestLocation(manifestAbsolute: string): ManifestLocation {
  for (let dir = dirname(manifestAbsolute); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git')))
      return { path: relative(dir, manifestAbsolute).split(sep).join('/'), inRepository: true };
    if (dirname(dir) === dir) return { path: basename(manifestAbsolute), inRepository: false };
  }
}
