import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isOutputPath, recordName } from '../plan/layout.ts';
import { toolVersion } from '../version.ts';

export { recordName };

/** The record names the tool version that wrote the files, so a reviewer sees which release produced a change. */
export function recordText(paths: Iterable<string>): string {
  return `${JSON.stringify({ generatedBy: 'mail-oauth-runbook', version: toolVersion, files: [...paths].sort() }, null, 2)}\n`;
}

/** The files a previous run wrote; an unreadable or foreign record counts as none, so nothing unknown is ever deleted. */
export async function readRecord(outDir: string): Promise<string[]> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, recordName), 'utf8')) as { generatedBy?: unknown; files?: unknown };
    if (parsed.generatedBy !== 'mail-oauth-runbook' || !Array.isArray(parsed.files)) return [];
    // Only plain relative paths of the shape we write: never follow a hand-edited record outside the folder.
    return parsed.files.filter((f): f is string => typeof f === 'string' && isOutputPath(f));
  } catch {
    return [];
  }
}
