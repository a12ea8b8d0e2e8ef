// PowerShell treats these four as single quotes too (besides '); inside a single-quoted string each is escaped by doubling.
const singleQuotes = /['\u2018\u2019\u201A\u201B]/g;

/** A single-quoted PowerShell literal: nothing inside is expanded, and no value can close it early. */
export function psLiteral(value: string): string {
  return `'${value.replace(singleQuotes, (q) => q + q)}'`;
}

/** An array expression of single-quoted literals: @('a', 'b'). */
export function psArray(values: readonly string[]): string {
  return `@(${values.map(psLiteral).join(', ')})`;
}

/** Text safe inside a `#` comment: one line, no block-comment terminator. */
export function psComment(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u0085\u2028\u2029]/g, ' ')
    .replace(/#>/g, '# >')
    .replace(/<#/g, '< #');
}
