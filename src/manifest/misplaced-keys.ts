import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic } from './diagnostic.ts';
import { position, type JsonPath, type ParsedYaml } from './parse.ts';
import { manifestSchema } from './schema.ts';

// A key indented one level too little (or too much) lands in the wrong mapping: the schema then says "unknown key"
// or, under environments, takes it for an environment of the wrong type. When the key is one the mapping just above
// it (or the one around it) takes, the fix is its indentation, and which column it belongs at.

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  items?: SchemaNode;
};

const resolve = (s: SchemaNode | undefined): SchemaNode | undefined => {
  let node = s;
  for (let i = 0; node?.$ref && i < 10; i++)
    node = (manifestSchema.$defs as Record<string, SchemaNode>)[node.$ref.replace('#/$defs/', '')];
  return node;
};

/** The keys the schema allows in the mapping at `path`, or undefined when that is no mapping of named fields. */
export function fieldsAt(path: JsonPath): string[] | undefined {
  let node = resolve(manifestSchema as SchemaNode);
  for (const seg of path) {
    if (typeof seg === 'number') node = resolve(node?.items);
    else
      node = resolve(
        node?.properties?.[seg] ??
          (typeof node?.additionalProperties === 'object' ? (node.additionalProperties as SchemaNode) : undefined),
      );
  }
  return node?.properties ? Object.keys(node.properties) : undefined;
}

const keyName = (p: Pair): string | undefined => (isScalar(p.key) ? String(p.key.value) : undefined);
const mapAt = (parsed: ParsedYaml, path: JsonPath): YAMLMap | undefined => {
  const n = path.length ? parsed.doc.getIn(path, true) : parsed.doc.contents;
  return isMap(n) ? n : undefined;
};
const startOf = (n: unknown): number | undefined => (n as Node | null | undefined)?.range?.[0];

const keyNode = (parsed: ParsedYaml, path: JsonPath): Node =>
  mapAt(parsed, path.slice(0, -1))!.items.find((p) => keyName(p) === String(path.at(-1)))!.key as Node;

export interface Misplaced {
  /** The JSON path of the key as the file has it (the wrong place). */
  path: JsonPath;
  /** The mapping it belongs in. */
  destination: JsonPath;
  fix: string;
  expected: string;
}

/**
 * Whether the key `name` in the mapping at `at` belongs elsewhere by indentation: under the entry just above it
 * (a mapping, or the last item of a list), or one level out, beside its own parent.
 */
export function misplacedKey(parsed: ParsedYaml, at: JsonPath, name: string): Misplaced | undefined {
  const map = mapAt(parsed, at);
  const index = map?.items.findIndex((p) => keyName(p) === name) ?? -1;
  if (!map || index < 0) return undefined;
  const column = (offset: number) => position(parsed.lines, offset).column;
  const previous = map.items[index - 1];
  const prevName = previous && keyName(previous);
  if (previous && prevName !== undefined) {
    const value = previous.value;
    if (isMap(value) && fieldsAt([...at, prevName])?.includes(name) && !value.has(name)) {
      const col = startOf(value.items[0]?.key) ?? startOf(previous.key)! + 2;
      return {
        path: [...at, name],
        destination: [...at, prevName],
        expected: `a key of ${[...at, prevName].join('.')}, at column ${column(col)}`,
        fix: `indent it under \`${prevName}:\` (to column ${column(col)}, as the keys of ${prevName})`,
      };
    }
    const item = isSeq(value) ? value.items.at(-1) : undefined;
    if (isMap(item) && fieldsAt([...at, prevName, 0])?.includes(name) && !item.has(name)) {
      const first = item.items[0]!;
      const col = startOf(first.key)!;
      const line = position(parsed.lines, col).line;
      return {
        path: [...at, name],
        destination: [...at, prevName, (value as { items: unknown[] }).items.length - 1],
        expected: `a key of the last item of ${[...at, prevName].join('.')}, at column ${column(col)}`,
        fix: `indent it under \`- ${keyName(first)}: …\` on line ${line} (to column ${column(col)})`,
      };
    }
  }
  // Indented too far: a key of the mapping around this one.
  const outer = at.length >= 1 ? at.slice(0, -1) : undefined;
  const parentName = at.at(-1);
  const outerMap = outer && mapAt(parsed, outer);
  if (outerMap && typeof parentName === 'string' && fieldsAt(outer)?.includes(name) && !outerMap.has(name)) {
    const parentPair = outerMap.items.find((p) => keyName(p) === parentName);
    const col = startOf(parentPair?.key);
    if (col !== undefined)
      return {
        path: [...at, name],
        destination: outer,
        expected: `a key of ${outer.length ? outer.join('.') : 'the top level'}, at column ${column(col)}`,
        fix: `indent it less, to column ${column(col)}, beside \`${parentName}:\``,
      };
  }
  return undefined;
}

/**
 * Replaces the schema's diagnostics about misplaced keys with one indentation diagnostic per key: an unknown key
 * that belongs a level in or out, and under `environments:` a field name (mailboxes, app, …) read as an environment.
 */
export function withMisplacedKeys(parsed: ParsedYaml, diagnostics: Diagnostic[]): Diagnostic[] {
  const envFields = fieldsAt(['environments', '*']) ?? [];
  const found = new Map<string, { d: Diagnostic; m: Misplaced }>();
  const same = (a: JsonPath, b: JsonPath) => a.length === b.length && a.every((s, i) => b[i] === s);
  const covered = (d: Diagnostic) =>
    [...found.values()].some(({ m }) => d.path && m.path.every((s, i) => d.path![i] === s));
  /** The mapping the key belongs in says it lacks it: true, and the fix is the same indentation. */
  const lacking = (d: Diagnostic) =>
    d.code === 'missing-key' && d.path
      ? [...found.values()].find(
          ({ m }) => same(d.path!, m.destination) && d.message.endsWith(`has no "${String(m.path.at(-1))}"`),
        )
      : undefined;
  for (const d of diagnostics) {
    if (!d.path) continue;
    let m: Misplaced | undefined;
    if (d.code === 'unknown-key') m = misplacedKey(parsed, d.path.slice(0, -1), String(d.path.at(-1)));
    else if (d.path[0] === 'environments' && typeof d.path[1] === 'string' && envFields.includes(d.path[1]))
      m = misplacedKey(parsed, ['environments'], d.path[1]);
    if (m && !found.has(m.path.join('\0'))) found.set(m.path.join('\0'), { d, m });
  }
  if (found.size === 0) return diagnostics;
  const out = diagnostics
    .filter((d) => !covered(d))
    .map((d) => {
      const m = lacking(d);
      if (!m) return d;
      const line = position(parsed.lines, startOf(keyNode(parsed, m.m.path))!).line;
      return { ...d, fix: `the "${String(m.m.path.at(-1))}:" on line ${line} is meant to be here: ${m.m.fix}` };
    });
  for (const { m } of found.values()) {
    const name = String(m.path.at(-1));
    const [start, end] = keyNode(parsed, m.path).range!;
    const where = m.path.length > 1 ? m.path.slice(0, -1).join('.') : 'the top level';
    out.push({
      file: parsed.file,
      ...position(parsed.lines, start),
      offset: start,
      length: Math.max(1, end - start),
      severity: 'error',
      code: 'misplaced-key',
      message: `"${name}" is indented as a key of ${where}, where it does not belong`,
      expected: m.expected,
      fix: m.fix,
      path: m.path,
    });
  }
  return out;
}
