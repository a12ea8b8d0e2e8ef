import { basename, dirname, extname, join, relative } from 'node:path';
import { manifestSchema } from '../manifest/schema.ts';
import { files, type DocumentKey } from './documents.ts';

// The output folder's layout, in one place: `<out>/README.md`, `<out>/<environment>/<file>` (the names come from the
// table of documents) and the record of what generate wrote. Render names files with it, write and the record check
// paths against it, verify links into it.

export { files };

/** A document's key: `runbook`, `exchangeSetup`… */
export type OutputFile = DocumentKey;

/** The file in each output folder that lists what generate wrote there, so stale outputs can be removed safely. */
export const recordName = '.mail-oauth-runbook.json';

/** The default output folder: beside the manifest, named after it without its extension. */
export const defaultOutDir = (manifest: string): string =>
  join(dirname(manifest), basename(manifest, extname(manifest)));

/**
 * The output folder, as shown to the user (relative to cwd): --out, else the config file's `out` (a folder per
 * manifest name), else beside the manifest. generate writes there and verify links there.
 */
export function outDirFor(
  manifest: string,
  out: string | undefined,
  configOut: ((manifestName: string) => string) | undefined,
  cwd: string,
): string {
  if (out !== undefined) return out;
  if (configOut) return relative(cwd, configOut(basename(manifest, extname(manifest)))) || '.';
  return defaultOutDir(manifest);
}

/** A path inside the output folder, always with `/`: `test/runbook.md`. */
export const environmentFile = (environment: string, file: OutputFile): string => `${environment}/${files[file]}`;

/** The environment a relative output path belongs to, or undefined for a file at the top. */
export const environmentOf = (path: string): string | undefined =>
  path.includes('/') ? path.slice(0, path.indexOf('/')) : undefined;

// Derived from the table of documents and the schema's environment names, so a new document needs no edit here.
const environmentName = new RegExp(
  (manifestSchema as { properties: { environments: { propertyNames: { pattern: string } } } }).properties.environments
    .propertyNames.pattern,
);
const outputNames: ReadonlySet<string> = new Set(Object.values(files));

/**
 * Whether generate can have written this relative path (from a record that may have been edited by hand): one of
 * its file names, at the top of the output folder or inside an environment's folder. Nothing else is ever deleted
 * or overwritten on a record's word.
 */
export function isOutputPath(path: string): boolean {
  const parts = path.split('/');
  if (parts.length === 1) return outputNames.has(parts[0]!);
  return parts.length === 2 && environmentName.test(parts[0]!) && outputNames.has(parts[1]!);
}

/** Where verify's links to runbook steps point: the runbook generate wrote for this environment. */
export const runbookPath = (outDir: string, environment: string): string =>
  `${outDir}/${environmentFile(environment, 'runbook')}`.replace(/\\/g, '/');

/** The verification record the runbook tells IT support to keep. */
export const verificationReportFile = (environment: string): string => `verification-${environment}.md`;
