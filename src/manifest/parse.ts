import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostic.ts';
import { misalignedLines, type Misaligned } from './indentation.ts';

export type JsonPath = readonly (string | number)[];

export interface ParsedYaml {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Aliases a manifest could reasonably use; far below what an alias bomb needs. */
const maxAliasCount = 100;

const yamlCodes: Record<string, { code: string; fix: string }> = {
  DUPLICATE_KEY: {
    code: 'yaml-duplicate-key',
    fix: 'remove one of the two entries; YAML keys must be unique in a mapping',
  },
  BAD_INDENT: { code: 'yaml-indentation', fix: 'indent nested keys consistently with spaces (not tabs)' },
  TAB_AS_INDENT: { code: 'yaml-indentation', fix: 'indent with spaces; YAML does not allow tabs for indentation' },
  MULTIPLE_DOCS: { code: 'yaml-multiple-documents', fix: 'keep one document in the file (remove the extra ---)' },
};

export function position(lines: LineCounter, offset: number): { line: number; column: number } {
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col };
}

/**
 * Parses YAML keeping positions; returns syntax problems as diagnostics instead of throwing. `inspect` sees (and may
 * change) the parsed document before its value is taken, even when the document has syntax errors.
 */
export function parseYaml(
  file: string,
  text: string,
  inspect?: (doc: Document.Parsed) => void,
): { parsed?: ParsedYaml; value?: unknown; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
    inspect?.(doc);
  } catch (e) {
    // The parser recurses per nesting level; pathological nesting overflows the stack.
    if (e instanceof RangeError) return { diagnostics: [tooDeep(file)] };
    throw e;
  }
  const diagnostics: Diagnostic[] = doc.errors.map((e) => {
    const known = yamlCodes[e.code];
    const { line, column } = position(lines, e.pos[0]);
    return {
      file,
      line,
      column,
      severity: 'error' as const,
      code: known?.code ?? 'yaml-syntax',
      message: firstLine(e.message),
      fix: known?.fix ?? 'fix the YAML syntax at this place (check quotes, colons and indentation)',
      offset: e.pos[0],
      length: Math.max(1, e.pos[1] - e.pos[0]),
    };
  });
  if (diagnostics.length > 0) {
    // A tab in the indentation confuses the parser into several errors, some on other lines: say it once, at the tab.
    const tabs = tabIndentation(file, text);
    if (tabs.length) return { diagnostics: tabs };
    // A line indented to no open block's column: one error there, naming the column, instead of the parser's
    // errors on it and on the line before (which is where "compact mappings" errors point).
    const misaligned = misalignedLines(text).filter((m) =>
      diagnostics.some((d) => d.line === m.line || d.line === m.line - 1),
    );
    const explained = (d: Diagnostic) => misaligned.some((m) => d.line === m.line || d.line === m.line - 1);
    const shown = new Set<number>();
    return {
      diagnostics: [...misaligned.map((m) => indentation(file, m))].concat(
        diagnostics.flatMap((d, i) => {
          if (explained(d)) return [];
          if (doc.errors[i]!.code === 'DUPLICATE_KEY') return [duplicateKey(d, doc, lines)];
          // "…must be sufficiently indented and end with a }" is reported where the next key starts; the mistake is
          // the bracket opened earlier and never closed: point at it, once.
          const closer = /end with an? ([}\]])/.exec(d.message)?.[1];
          const opener = closer === undefined ? undefined : unclosedFlow(text, d.offset!, closer === '}' ? '{' : '[');
          if (opener === undefined) return [d];
          if (shown.has(opener)) return [];
          shown.add(opener);
          return [unclosed(file, text, lines, opener, d.offset!, closer!)];
        }),
      ),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount });
  } catch (e) {
    if (e instanceof RangeError) return { diagnostics: [tooDeep(file)] };
    const bomb = /excessive alias count/i.test((e as Error).message);
    return {
      diagnostics: [
        {
          file,
          line: 1,
          column: 1,
          severity: 'error',
          code: bomb ? 'yaml-alias-limit' : 'yaml-alias',
          message: bomb
            ? `the file expands too many aliases (more than ${maxAliasCount}); this looks like an alias bomb`
            : `cannot resolve a YAML alias: ${firstLine((e as Error).message)}`,
          fix: 'write the values out instead of using YAML anchors and aliases (&, *)',
        },
      ],
    };
  }
  return { parsed: { file, doc, lines }, value, diagnostics: [] };
}

/**
 * The offset of the innermost `{` or `[` (as asked) still open at `end`, skipping quoted text and comments; undefined
 * when none is.
 */
function unclosedFlow(text: string, end: number, open: '{' | '['): number | undefined {
  const stack: { char: string; at: number }[] = [];
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    // A quote opens a quoted scalar only where a scalar starts (O'Brien's apostrophe does not).
    if ((c === '"' || c === "'") && /(^|[\s:[{,-])$/.test(text.slice(Math.max(0, i - 1), i))) {
      // A quoted scalar: skip to its end ('' is an escaped quote in single quotes, \ escapes in double quotes).
      for (i++; i < end; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (text[i] === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < end && text[i] !== '\n') i++;
    } else if (c === '{' || c === '[') stack.push({ char: c, at: i });
    else if ((c === '}' || c === ']') && stack.at(-1)?.char === (c === '}' ? '{' : '[')) stack.pop();
  }
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k]!.char === open) return stack[k]!.at;
  return undefined;
}

function unclosed(
  file: string,
  text: string,
  lines: LineCounter,
  offset: number,
  reportedAt: number,
  closer: string,
): Diagnostic {
  const { line, column } = position(lines, offset);
  // The collection most likely ends on the last line with content before the one the parser stopped at.
  const all = text.split('\n');
  let last = position(lines, reportedAt).line - 1;
  while (last > line && !/^\s*[^\s#]/.test(all[last - 1] ?? '')) last--;
  const kind = closer === '}' ? 'mapping' : 'list';
  return {
    file,
    line,
    column,
    severity: 'error',
    code: 'yaml-unclosed',
    message: `this ${closer === '}' ? '{' : '['} is never closed: the ${kind} it opens must end with ${closer}`,
    fix: `add ${closer} where the ${kind} ends (most likely at the end of line ${Math.max(line, last)})`,
    offset,
    length: 1,
  };
}

function indentation(file: string, m: Misaligned): Diagnostic {
  const spaces = (n: number) => `${n} space${n === 1 ? '' : 's'}`;
  // Only a word is quoted from the file: a line the parser could not read may hold anything (part of a secret).
  const like = /^(?:-|[a-z][A-Za-z-]{0,30})$/.test(m.like.key)
    ? `\`${m.like.key === '-' ? '-' : `${m.like.key}:`}\` on line ${m.like.line}`
    : `line ${m.like.line}`;
  return {
    file,
    line: m.line,
    column: m.column,
    severity: 'error',
    code: 'yaml-indentation',
    message: `this line starts at column ${m.column}, which lines up with no key above it`,
    expected: `column ${m.expected}, as ${like}`,
    fix: `indent it by ${spaces(m.expected - 1)} (not ${m.column - 1}), to line up with ${like}`,
    offset: m.offset,
    length: 1,
  };
}

function tabIndentation(file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let offset = 0;
  for (const [i, line] of text.split('\n').entries()) {
    const indent = /^ *\t/.exec(line);
    if (indent) {
      const column = indent[0].length;
      out.push({
        file,
        line: i + 1,
        column,
        severity: 'error',
        code: 'yaml-tab-indentation',
        message: 'a tab in the indentation; YAML indents with spaces only',
        fix: `replace the tab at column ${column} with spaces, so the key lines up with the keys beside it`,
        offset: offset + column - 1,
        length: 1,
      });
    }
    offset += line.length + 1;
  }
  return out;
}

/** Names the duplicated key and the line where it first appears. */
function duplicateKey(d: Diagnostic, doc: Document.Parsed, lines: LineCounter): Diagnostic {
  let found: { key: string; first: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const r = (pair.key as Node | null)?.range;
        if (key === undefined || !r) continue;
        const first = seen.get(key);
        if (first !== undefined && r[0] <= d.offset! && d.offset! <= r[1]) {
          found = { key, first };
          return visit.BREAK;
        }
        if (first === undefined) seen.set(key, r[0]);
      }
      return undefined;
    },
  });
  if (!found) return d;
  const firstLine = position(lines, found.first).line;
  return {
    ...d,
    message: `duplicate key "${found.key}": it is already on line ${firstLine}`,
    fix: `keep one "${found.key}" in this mapping: merge this entry into the one on line ${firstLine}, or remove one`,
  };
}

const tooDeep = (file: string): Diagnostic => ({
  file,
  line: 1,
  column: 1,
  severity: 'error',
  code: 'yaml-too-deep',
  message: 'the YAML is nested too deeply to read',
  fix: 'a manifest is a few levels deep; check that this is the right file',
});

const firstLine = (s: string): string => s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');

/** Source range of the value (or, for `key`, the key) at a JSON path; falls back to the deepest existing ancestor. */
export function locate(
  parsed: ParsedYaml,
  path: JsonPath,
  want: 'key' | 'value' = 'value',
): { offset: number; length: number } {
  let node: unknown = parsed.doc.contents;
  let found = range(node) ?? { offset: 0, length: 1 };
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && want === 'key') return range(pair.key) ?? found;
      node = pair.value;
      found = range(node) ?? range(pair.key) ?? found;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      found = range(node) ?? found;
    } else break;
  }
  return found;
}

/** Where a diagnostic about the value (or key) at a JSON path stands: its file, line, column and source range. */
export function placeAt(parsed: ParsedYaml, path: JsonPath, want: 'key' | 'value' = 'value') {
  const r = locate(parsed, path, want);
  return { file: parsed.file, ...position(parsed.lines, r.offset), offset: r.offset, length: r.length };
}

/** A JSON path as a reader writes it: `environments.test.mailboxes[0].address`. */
export const dottedPath = (path: JsonPath): string =>
  path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

function range(node: unknown): { offset: number; length: number } | undefined {
  const r = (node as Node | undefined)?.range;
  if (!r) return undefined;
  return { offset: r[0], length: Math.max(1, r[1] - r[0]) };
}
