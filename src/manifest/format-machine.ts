import type { Diagnostic } from './diagnostic.ts';
import { lineIndex } from './line-index.ts';

/** A diagnostic for machines: one key order, 1-based start and end positions, and the JSON path when known. */
export interface MachineDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
  expected: string | null;
  fix: string | null;
  path: (string | number)[] | null;
}

/** Positions for a file's diagnostics; `source` is the text they point into (undefined when it could not be read). */
export function machineDiagnostics(ds: readonly Diagnostic[], source: string | undefined): MachineDiagnostic[] {
  const positionOf = source === undefined ? undefined : lineIndex(source);
  const end = (d: Diagnostic): { endLine: number; endColumn: number } => {
    if (!positionOf || d.offset === undefined) return { endLine: d.line, endColumn: d.column + 1 };
    const { line, column } = positionOf(d.offset + Math.max(1, d.length ?? 1));
    return { endLine: line, endColumn: column };
  };
  return ds.map((d) => ({
    file: d.file,
    line: d.line,
    column: d.column,
    ...end(d),
    severity: d.severity,
    code: d.code,
    message: d.message,
    expected: d.expected ?? null,
    fix: d.fix ?? null,
    path: d.path ? [...d.path] : null,
  }));
}

// GitHub workflow commands: data escapes %, CR and LF; property values also escape : and ,.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error …::` / `::warning …::` line per diagnostic: GitHub Actions shows them on the pull request's lines. */
export function githubAnnotation(d: MachineDiagnostic): string {
  const props = [
    `file=${property(d.file)}`,
    `line=${d.line}`,
    `col=${d.column}`,
    `endLine=${d.endLine}`,
    `endColumn=${d.endColumn}`,
    `title=${property(`mail-oauth-runbook ${d.code}`)}`,
  ];
  const text = [d.message, d.expected && `expected: ${d.expected}`, d.fix && `fix: ${d.fix}`]
    .filter(Boolean)
    .join('\n');
  return `::${d.severity} ${props.join(',')}::${data(text)}`;
}
