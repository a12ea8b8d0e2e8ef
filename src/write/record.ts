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
  /** Entries naming files generate writes: these it may replace, and remove when no longer generated. */
  files: string[];
  /** Other names: trusted only if this run generates exactly that path (a document added in code elsewhere), else ignored. */
  others: string[];
  /** Why the record, or entries of it, were ignored; shown as warnings. */
  problems: string[];
}

/**
 * The files a previous run wrote, from the record's text (undefined when there is none). The output folder is
 * untrusted: a damaged or foreign record counts as none and an entry naming anything generate cannot have written
 * is set apart, so a hand-edited record can neither delete a stranger's file nor wedge the tool.
 */
export function parseRecord(text: string | undefined): Record {
  const none = (why?: string): Record => ({ files: [], others: [], problems: why ? [why] : [] });
  if (text === undefined) return none();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return none(`${recordName} is not valid JSON; it is ignored and rewritten`);
  }
  const r = parsed as { generatedBy?: unknown; files?: unknown } | null;
  if (typeof r !== 'object' || r === null || r.generatedBy !== 'mail-oauth-runbook' || !Array.isArray(r.files)) {
    return none(`${recordName} is not a record written by mail-oauth-runbook; it is ignored and rewritten`);
  }
  const files = new Set<string>();
  const others = new Set<string>();
  const problems: string[] = [];
  for (const f of r.files as unknown[]) {
    if (typeof f === 'string') (isOutputPath(f) ? files : others).add(f);
    else
      problems.push(
        `${recordName} lists ${f === null ? 'null' : `a ${Array.isArray(f) ? 'list' : typeof f}`}, not a file name; the entry is ignored`,
      );
  }
  return { files: [...files], others: [...others], problems: atMost(problems) };
}

/** Warnings about entries naming files generate never writes (those this run did not generate either). */
export const ignoredEntries = (names: string[]): string[] =>
  atMost(names.map((f) => `${recordName} lists "${printable(f)}", which generate never writes; the entry is ignored`));

const atMost = (problems: string[], n = 20): string[] =>
  problems.length <= n ? problems : [...problems.slice(0, n), `… and ${problems.length - n} more ignored entries`];

/** A name from the untrusted folder, safe to print: short, and no control or invisible formatting characters. */
export const printable = (s: string): string =>
  (s.length > 80 ? `${s.slice(0, 77)}...` : s).replace(
    /[^\x20-\x7e\u00a0-\u200a\u2010-\u2027\u2030-\u205f\u2070-\ud7ff\ue000-\ufefe\uff00-\ufffd]/g,
    '?',
  );
