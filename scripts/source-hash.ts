import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Everything the bundle in dist/ is built from. A change to any of these makes a built dist/ stale. */
const inputs = [
  'src',
  'templates',
  'schemas',
  'scripts',
  'build.ts',
  'tsconfig.types.json',
  'package.json',
  'package-lock.json',
];

/** A hash of the build's inputs (paths and bytes), written by build.ts and checked by the tests. */
export function sourceHash(root: string): string {
  const hash = createHash('sha256');
  const files = inputs.flatMap((input) => filesUnder(root, input)).sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

function filesUnder(root: string, input: string): string[] {
  const path = join(root, input);
  try {
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name)));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return [input];
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
