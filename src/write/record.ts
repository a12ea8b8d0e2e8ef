import { isOutputPath, recordName } from '../plan/layout.ts';
import { toolVersion } from '../version.ts';

export { isOutputPath, recordName };

/** A record, a journal or a lock file is a few kilobytes; anything far larger is not one of ours. */
export const maxControlFileBytes = 1024 * 1024;

/** The record names the tool version that wrote the files, so a reviewer sees which release produced a change. */
export function recordText(paths: Iterable<string>): string {
  return `${JSON.stringify({ generatedBy: 'mail-oauth-runbook', version: toolVersion, files: [...paths].sort() }, null, 2)}\n`;
}

export interface Record {
  files: string[];
  /** Why entries (or the whole record) were ignored; shown as warnings. */
  problems: string[];
}

/**
 * The files a previous run wrote, from the record's text (undefined when there is none). The output folder is
 * untrusted: a damaged or foreign record counts as none and an entry naming anything generate cannot have written
 * is ignored, each with a reason, so a hand-edited record can neither delete a stranger's file nor wedge the tool.
 */
export function parseRecord(text: string | undefined): Record {
  if (text === undefined) return { files: [], problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { files: [], problems: [`${recordName} is not valid JSON; it is ignored and rewritten`] };
  }
  const r = parsed as { generatedBy?: unknown; files?: unknown } | null;
  if (typeof r !== 'object' || r === null || r.generatedBy !== 'mail-oauth-runbook' || !Array.isArray(r.files)) {
    return { files: [], problems: [`${recordName} is not a record written by mail-oauth-runbook; it is ignored and rewritten`] };
  }
  const out: string[] = [];
  const problems: string[] = [];
  for (const f of r.files as unknown[]) {
    if (typeof f === 'string' && isOutputPath(f)) {
      if (!out.includes(f)) out.push(f);
    } else problems.push(`${recordName} lists ${typeof f === 'string' ? `"${printable(f)}"` : `a ${f === null ? 'null' : Array.isArray(f) ? 'list' : typeof f}`}, which generate never writes; the entry is ignored`);
  }
  return { files: out, problems: problems.slice(0, 20).concat(problems.length > 20 ? [`… and ${problems.length - 20} more ignored entries`] : []) };
}

/** A name from the untrusted folder, safe to print: short, and no control or invisible formatting characters. */
export const printable = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s).replace(/[^\x20-\x7e\u00a0-\u200a\u2010-\u2027\u2030-\u205f\u2070-\ud7ff\ue000-\ufefe\uff00-\ufffd]/g, '?');
