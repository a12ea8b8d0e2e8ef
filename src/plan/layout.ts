import { basename, dirname, extname, join, relative } from 'node:path';

// The output folder's layout, in one place: `<out>/README.md`, `<out>/<environment>/<file>` and the record of what
// generate wrote. Render names files with it, write and the record check paths against it, verify links into it.

/** Output file names: the index at the top, the others inside each environment's folder. */
export const files = {
  runbook: 'runbook.md',
  checklist: 'portal-checklist.md',
  fieldSheet: 'field-sheet.md',
  script: 'exchange-setup.ps1',
  index: 'README.md',
} as const;

export type OutputFile = keyof typeof files;

/** The file in each output folder that lists what generate wrote there, so stale outputs can be removed safely. */
export const recordName = '.mail-oauth-runbook.json';

/** The default output folder: beside the manifest, named after it without its extension. */
export const defaultOutDir = (manifest: string): string => join(dirname(manifest), basename(manifest, extname(manifest)));

/**
 * The output folder, as shown to the user (relative to cwd): --out, else the config file's `out` (a folder per
 * manifest name), else beside the manifest. generate writes there and verify links there.
 */
export function outDirFor(manifest: string, out: string | undefined, configOut: ((manifestName: string) => string) | undefined, cwd: string): string {
  if (out !== undefined) return out;
  if (configOut) return relative(cwd, configOut(basename(manifest, extname(manifest)))) || '.';
  return defaultOutDir(manifest);
}

/** A path inside the output folder, always with `/`: `test/runbook.md`. */
export const environmentFile = (environment: string, file: OutputFile): string => `${environment}/${files[file]}`;

/** The environment a relative output path belongs to, or undefined for a file at the top. */
export const environmentOf = (path: string): string | undefined => (path.includes('/') ? path.slice(0, path.indexOf('/')) : undefined);

/**
 * Whether a path (from a record that may have been edited by hand) has the shape of one we write: a plain name, at
 * the top or one environment folder down. Nothing else is ever deleted or overwritten on a record's word.
 */
export const isOutputPath = (path: string): boolean => /^(?:[a-z][a-z0-9-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/.test(path) && !path.includes('..');

/** Where verify's links to runbook steps point: the runbook generate wrote for this environment. */
export const runbookPath = (outDir: string, environment: string): string => `${outDir}/${environmentFile(environment, 'runbook')}`.replace(/\\/g, '/');

/** The verification record the runbook tells IT support to keep. */
export const verificationReportFile = (environment: string): string => `verification-${environment}.md`;
