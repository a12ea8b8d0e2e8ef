// The editor link. A manifest's first line, `# yaml-language-server: $schema=<path>`, lets editors complete and
// explain every field. The path must resolve from the committed repository on any machine, so it names a copy of the
// schema inside the repository (init writes one beside the manifest) and generate keeps that copy current; a link
// into an install folder or the npx cache would break on every other machine and on upgrade.
import { randomBytes } from 'node:crypto';
import { lstat, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { manifestSchema } from '../manifest/schema.ts';

export const editorSchemaFile = 'mail-oauth-runbook.schema.json';
export const modeline = (ref: string): string => `# yaml-language-server: $schema=${ref}`;
export const editorSchemaText = (): string => `${JSON.stringify(manifestSchema, null, 2)}\n`;

export type EditorSchemaState =
  /** the linked file is this version's schema */
  | 'current'
  /** the linked file is an older (or edited) copy of our schema: generate rewrites it */
  | 'stale'
  /** the link names a file in the repository that does not exist: generate writes it */
  | 'missing'
  /** the linked file is not our schema, is a symlink, or lies outside the repository: left alone */
  | 'foreign'
  | 'outside';

export interface EditorSchemaLink {
  ref: string;
  /** Absolute path of the linked file. */
  path: string;
  state: EditorSchemaState;
}

/** The repository around a file: the nearest folder holding .git, else the file's own folder. */
export function repositoryRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

const inside = (root: string, path: string) => {
  const r = relative(root, path);
  return r !== '' && !r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r);
};

/** Where the manifest's modeline points, and whether that copy of the schema is current. Undefined without a modeline. */
export async function editorSchemaLink(
  manifestPath: string,
  manifestText: string,
): Promise<EditorSchemaLink | undefined> {
  const m = /^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$/m.exec(manifestText.split('\n', 5).join('\n'));
  if (!m) return undefined;
  const ref = m[1]!;
  if (/^[a-z][a-z0-9+.-]{1,}:/i.test(ref)) return undefined; // a URL: the user's choice, nothing to keep current
  if (isAbsolute(ref) || !ref.endsWith('.json')) return { ref, path: ref, state: 'outside' };
  const path = resolve(dirname(manifestPath), ref);
  const root = repositoryRoot(manifestPath);
  if (!inside(root, path) || /(^|\/)node_modules\//.test(ref)) return { ref, path, state: 'outside' };
  let stats;
  try {
    stats = await lstat(path);
  } catch {
    // Only a file whose folder exists (and lies in the repository, symlinks resolved) is ever created.
    const folder = await realpath(dirname(path)).catch(() => undefined);
    return { ref, path, state: folder && inside(await realpath(root), join(folder, 'x')) ? 'missing' : 'outside' };
  }
  if (!stats.isFile() || stats.size > 1024 * 1024) return { ref, path, state: 'foreign' };
  let json: { $id?: unknown } | undefined;
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as { $id?: unknown };
  } catch {
    return { ref, path, state: 'foreign' };
  }
  if (json?.$id !== manifestSchema.$id) return { ref, path, state: 'foreign' };
  return { ref, path, state: JSON.stringify(json) === JSON.stringify(manifestSchema) ? 'current' : 'stale' };
}

/** Writes this version's schema to the linked file (atomically: a temporary file renamed over it). */
export async function writeEditorSchema(path: string): Promise<void> {
  // A random name, created exclusively (never through a link): one named after the pid can be planted in advance.
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, editorSchemaText(), { flag: 'wx' });
  await rename(temp, path);
}
