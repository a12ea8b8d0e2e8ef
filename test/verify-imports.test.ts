import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// verify's modules import one way: no module reaches itself again through its imports, type-only ones included (a
// circle of types still ties the files together for a reader and for the next refactor).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const verifyDir = join(root, 'src/verify');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** The relative static imports and re-exports of a module (not `import()`, which loads lazily and is no layer). */
function staticImports(text: string, file: string): string[] {
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"();]*?\bfrom\s*'(\.[^']+)'|^\s*import\s*'(\.[^']+)'/gm)];
  return specs.map((m) => resolve(dirname(file), (m[1] ?? m[2])!));
}

/** The first circle found, as the list of files from one module back to itself; null when there is none. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

test('the cycle finder finds a circle of three, a module importing itself, and none in a tree', () => {
  const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
  assert.equal(findCycle(g({ a: ['b'], b: ['c'], c: ['a'] })), ['a', 'b', 'c', 'a']);
  assert.equal(findCycle(g({ a: ['a'] })), ['a', 'a']);
  assert.is(findCycle(g({ a: ['b', 'c'], b: ['c'], c: [] })), null);
});

test('static imports are read from import, import type and export … from, and not from import()', () => {
  const file = join(verifyDir, 'input/x.ts');
  const text = [
    "import { a } from './a.ts';",
    "import type { B } from '../report/b.ts';",
    'import {',
    '  c,',
    '  d,',
    "} from './c.ts';",
    "export { e } from './e.ts';",
    "export type { F } from './f.ts';",
    "const lazy = await import('./lazy.ts');",
    "import { g } from 'node:fs';",
  ].join('\n');
  assert.equal(
    staticImports(text, file).map((p) => relative(verifyDir, p)),
    ['input/a.ts', 'report/b.ts', 'input/c.ts', 'input/e.ts', 'input/f.ts'],
  );
});

test('no import cycle inside src/verify', () => {
  const files = sources(verifyDir);
  assert.ok(files.length > 20, 'src/verify was read');
  const inside = new Set(files);
  const graph = new Map(
    files.map((f) => [f, staticImports(readFileSync(f, 'utf8'), f).filter((target) => inside.has(target))]),
  );
  const cycle = findCycle(graph);
  assert.is(cycle?.map((f) => relative(verifyDir, f)).join(' → ') ?? null, null);
});

test.run();
