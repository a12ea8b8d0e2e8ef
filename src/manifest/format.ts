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
  const out = [`${d.file}:${d.line}:${d.column}: ${sev} ${paint(color, '2', `[${d.code}]`)} ${d.message}`];
  if (d.expected) out.push(`  expected: ${d.expected}`);
  if (opts.source !== undefined) out.push(...excerpt(opts.source, d.line, d.column, d.length ?? 1));
  if (d.fix) out.push(`  fix: ${d.fix}`);
  return out.join('\n');
}

function excerpt(source: string, line: number, column: number, length: number): string[] {
  const text = source.split(/\r?\n/)[line - 1];
  if (text === undefined) return [];
  const shown = clip(text.replace(/\t/g, ' '), column);
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const caretLen = Math.max(1, Math.min(length, shown.text.length - shown.column + 1, 60));
  return [
    `  ${gutter} | ${shown.text}`,
    `  ${pad} | ${' '.repeat(Math.max(0, shown.column - 1))}${'^'.repeat(caretLen)}`,
  ];
}

// Long lines (minified YAML, huge scalars) are cut around the column so the excerpt stays readable.
function clip(text: string, column: number): { text: string; column: number } {
  const max = 100;
  const safe = [...text].map((c) => (c < ' ' || c === '\x7f' ? '?' : c)).join('');
  if (safe.length <= max) return { text: safe, column };
  const start = Math.max(0, Math.min(column - 40, safe.length - max));
  const cut = (start > 0 ? '…' : '') + safe.slice(start, start + max) + (start + max < safe.length ? '…' : '');
  return { text: cut, column: column - start + (start > 0 ? 1 : 0) };
}

export function summary(ds: readonly Diagnostic[]): string {
  const e = ds.filter((d) => d.severity === 'error').length;
  const w = ds.length - e;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}
