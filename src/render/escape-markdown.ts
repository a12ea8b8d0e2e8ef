// Escaping for values placed in Markdown. A value must stay text: it may not open a link, image, heading, list,
// table cell, HTML tag, entity, emphasis or code span. GFM also links bare URLs, www. names and e-mail addresses
// found in the text after escapes are resolved, which no escape prevents: such values go in code spans (codeSpan).

const alwaysEscaped = /[\\`*_[\]<>#|~&$]/g;

/** Plain text: every character that could start Markdown structure is backslash-escaped; line breaks become spaces. */
export function escapeMarkdown(value: string): string {
  const oneLine = flatten(value);
  const escaped = oneLine.replace(alwaysEscaped, (c) => `\\${c}`);
  // A value could land at the start of a line in a custom template: do not let it begin a list, quote or heading.
  return escaped.replace(/^([-+=>#])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Inline code: a fence longer than any backtick run inside. */
export function codeSpan(value: string): string {
  return fenced(flatten(value));
}

/**
 * Inline code in a table cell: a `|` would end the cell, so it is escaped, and backslashes just before it are
 * doubled so that none of them can pair with the escape (`\|` would otherwise read as `\\` then a cell border).
 */
export function cellCodeSpan(value: string): string {
  return fenced(flatten(value).replace(/(\\*)\|/g, (_, bs: string) => `${bs}${bs}\\|`));
}

function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Control characters (including line and paragraph separators) become spaces, so a value is one line. */
function flatten(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** A POSIX shell word for command examples: quoted unless it is plainly safe. */
export function shellWord(value: string): string {
  const v = flatten(value);
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
