// Which column a line was meant to start at. The YAML parser reports a key indented one space off as "All mapping
// items must start at the same column", "Nested mappings are not allowed in compact mappings" or "Sequence item
// without - indicator", sometimes on the line before; this finds the line whose indentation matches none of the
// blocks open above it, and the nearest column that would.

export interface Misaligned {
  /** 1-based line and column of the line's first character. */
  line: number;
  column: number;
  offset: number;
  expected: number;
  /** The line (1-based) and key whose column it should share. */
  like: { line: number; key: string };
}

interface Open {
  column: number;
  line: number;
  key: string;
}

const keyOf = (s: string): string => /^([^\s:#][^:#]*?):(?:\s|$)/.exec(s)?.[1] ?? s.split(/\s/)[0]!;
const withoutComment = (s: string): string => s.replace(/\s+#.*$/, '');

export function misalignedLines(text: string): Misaligned[] {
  const out: Misaligned[] = [];
  let open: Open[] = [];
  let previous: { column: number; opensBlock: boolean } | undefined;
  let scalarAbove: number | undefined; // inside a block scalar (| or >) opened at this column: its lines are text
  let flowDepth = 0; // inside a { } or [ ] that spans lines
  let offset = 0;
  for (const [i, raw] of text.split('\n').entries()) {
    const lineOffset = offset;
    offset += raw.length + 1;
    const content = /^( *)(\S.*)$/.exec(raw.replace(/\r$/, ''));
    if (!content || content[2]!.startsWith('#') || /^(---|\.\.\.)(\s|$)/.test(raw)) continue;
    const column = content[1]!.length + 1;
    if (scalarAbove !== undefined) {
      if (column > scalarAbove) continue;
      scalarAbove = undefined;
    }
    const body = withoutComment(content[2]!);
    const depthBefore = flowDepth;
    flowDepth = Math.max(0, flowDepth + (body.match(/[[{]/g)?.length ?? 0) - (body.match(/[\]}]/g)?.length ?? 0));
    if (depthBefore > 0) continue;
    const item = /^(-\s+)(.*)$/.exec(body);
    const fits =
      open.length === 0 ||
      (previous?.opensBlock === true && column > previous.column) ||
      open.some((o) => o.column === column);
    let at = column;
    if (!fits) {
      const best = [...open].sort(
        (a, b) => Math.abs(a.column - column) - Math.abs(b.column - column) || b.column - a.column,
      )[0]!;
      out.push({ line: i + 1, column, offset: lineOffset + column - 1, expected: best.column, like: best });
      at = best.column;
    }
    open = open.filter((o) => o.column < at);
    open.push({ column: at, line: i + 1, key: keyOf(item ? `-` : body) });
    let last = { column: at, text: body };
    if (item && item[2]) {
      const keyColumn = at + item[1]!.length;
      open.push({ column: keyColumn, line: i + 1, key: keyOf(item[2]) });
      last = { column: keyColumn, text: item[2] };
    }
    previous = { column: last.column, opensBlock: /:$/.test(last.text) || /^-$/.test(last.text) };
    if (/:\s*[|>][-+0-9]*$/.test(body)) scalarAbove = column;
  }
  return out;
}
