import type { Diagnostic } from './diagnostic.ts';

export interface FormatOptions {
  /** Source text with secret-like values already masked, for excerpts. */
  source?: string;
  color?: boolean;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/** file:line:column severity code message, then expected, an excerpt with a caret, and the fix. */
export function formatDiagnostic(d: Diagnostic, opts: FormatOptions = {}): string {
  const color = opts.color ?? false;
  const sev = paint(color, d.severity === 'error' ? '31;1' : '33;1', d.severity);
  const out = [
    `${neutralise(d.file)}:${d.line}:${d.column}: ${sev} ${paint(color, '2', `[${d.code}]`)} ${neutralise(d.message)}`,
  ];
  if (d.expected) out.push(`  expected: ${neutralise(d.expected)}`);
  if (opts.source !== undefined) out.push(...excerpt(opts.source, d.line, d.column, d.length ?? 1));
  if (d.fix) out.push(`  fix: ${neutralise(d.fix)}`);
  return out.join('\n');
}

function excerpt(source: string, line: number, column: number, length: number): string[] {
  const text = lineOf(source, line);
  if (text === undefined) return [];
  const shown = clip(text, column);
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const caretLen = Math.max(1, Math.min(length, shown.text.length - shown.column + 1, 60));
  return [
    `  ${gutter} | ${shown.text}`,
    `  ${pad} | ${' '.repeat(Math.max(0, shown.column - 1))}${'^'.repeat(caretLen)}`,
  ];
}

// The line starts of the last source excerpted from: a file with thousands of problems is indexed once, not once
// per problem (that was quadratic: 22 s for a 1 MiB manifest, minutes for one long line).
let indexed: { source: string; starts: number[] } | undefined;

function lineOf(source: string, line: number): string | undefined {
  if (indexed?.source !== source) {
    const starts = [0];
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
    indexed = { source, starts };
  }
  const { starts } = indexed;
  if (line < 1 || line > starts.length) return undefined;
  const end = line < starts.length ? starts[line]! - 1 : source.length;
  const text = source.slice(starts[line - 1], end);
  return text.endsWith('\r') && line < starts.length ? text.slice(0, -1) : text;
}

// Characters that would act on a terminal or reorder what a reader sees: shown as "?".
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Text from the user's file, safe to print on a terminal. */
export const neutralise = (s: string): string => s.replace(unsafe, (c) => (c === '\t' ? ' ' : '?'));

// Long lines (minified YAML, huge scalars) are cut around the column so the excerpt stays readable; only the part
// shown is cleaned, so a long line costs the same as a short one.
function clip(text: string, column: number): { text: string; column: number } {
  const max = 100;
  if (text.length <= max) return { text: neutralise(text), column };
  const start = Math.max(0, Math.min(column - 40, text.length - max));
  const cut =
    (start > 0 ? '…' : '') + neutralise(text.slice(start, start + max)) + (start + max < text.length ? '…' : '');
  return { text: cut, column: column - start + (start > 0 ? 1 : 0) };
}

export function summary(ds: readonly Diagnostic[]): string {
  const e = ds.filter((d) => d.severity === 'error').length;
  const w = ds.length - e;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}
