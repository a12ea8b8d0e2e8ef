import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { root } from './helpers/cli.ts';

// The layers of src/ run one way: a module imports from its own stage or from a lower floor, never from a higher
// floor or from another stage of its own floor, and no modules import each other in a circle. The floors, as the
// code has them (a stage is a folder of src/, or a file at its top):
const floors: string[][] = [
  ['errors', 'io', 'paths'], // typed errors, the process's streams, the package's own files
  ['version'], // the package's version (read through paths)
  ['manifest'], // reading and checking a manifest
  ['text'], // the document languages' catalogues and the ids they are keyed by
  ['plan'], // manifest → the derived plan, the table of documents and the output folder's layout
  ['render', 'write', 'status', 'verify'], // what is made of a plan: documents, the output folder, status, checks
  ['config'], // the config file, which names render's flavours
  ['library-input'], // the library's argument checks
  ['commands', 'index'], // the CLI's commands, and index.ts: the library's entry point
  ['cli'], // the program: parses arguments, runs a command, turns errors into exit codes
];

/**
 * Named exceptions to the rule, each with its reason (none today: src/verify's circle and its imports of
 * render/flavors.ts are gone). An entry nothing needs any more fails the test, so none outlives its reason.
 */
const exceptions: { sideways: { from: string; to: string }[]; circles: string[] } = {
  sideways: [],
  circles: [],
};

interface Import {
  from: string;
  to: string;
  /** import() expressions load lazily: they count for the layers, not for circles. */
  dynamic: boolean;
}

/** The relative imports of a source file (static, `import type` and `export … from` included, and import()). */
function importsOf(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (spec: string, dynamic: boolean) => {
    if (spec.startsWith('.')) out.push({ from: file, to: relative(root, resolve(root, dirname(file), spec)), dynamic });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      add((node.moduleSpecifier as ts.StringLiteral).text, false);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) add(arg.text, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add((node.argument.literal as ts.StringLiteral).text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The stage of a file in src/: its folder, or its own name for a file at the top. */
const stageOf = (file: string): string => file.split('/')[1]!.replace(/\.ts$/, '');
const floorOf = (stage: string): number => {
  const floor = floors.findIndex((f) => f.includes(stage));
  if (floor < 0) throw new Error(`src/${stage}/ is on no floor: add it to the floors in test/layers.test.ts`);
  return floor;
};

/** The groups of modules that import each other in a circle (Tarjan's strongly connected components). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do group.push((w = stack.pop()!));
      while (w !== v);
      if (group.length > 1 || graph.get(v)!.includes(v)) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

/** Every import against the floors and every circle, as messages; and the exceptions that were used. */
function check(sources: Map<string, string>, allowed = exceptions) {
  const imports = [...sources].flatMap(([file, text]) => importsOf(file, text)).filter((i) => i.to.startsWith('src/'));
  const used = new Set<string>();
  const problems: string[] = [];
  for (const i of imports) {
    const [from, to] = [stageOf(i.from), stageOf(i.to)];
    if (from === to || floorOf(to) < floorOf(from)) continue;
    const exception = allowed.sideways.find((e) => i.from.startsWith(e.from) && i.to === e.to);
    if (exception) used.add(`${exception.from} → ${exception.to}`);
    else
      problems.push(
        `${i.from} (${from}) imports ${i.to} (${to}), ${floorOf(to) > floorOf(from) ? 'a higher floor' : 'another stage of its floor'}`,
      );
  }
  const graph = new Map([...sources.keys()].map((f) => [f, [] as string[]]));
  for (const i of imports) if (!i.dynamic) graph.get(i.from)!.push(i.to);
  for (const group of circles(graph)) {
    const exception = allowed.circles.find((prefix) => group.every((f) => f.startsWith(prefix)));
    if (exception) used.add(exception);
    else problems.push(`a circle: ${group.join(', ')} import each other`);
  }
  return { problems, used };
}

const sourcesOf = (dir: string): Map<string, string> =>
  new Map(
    (readdirSync(join(root, dir), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => {
        const file = join(dir, f).split('\\').join('/');
        return [file, readFileSync(join(root, file), 'utf8')];
      }),
  );

test("src/'s imports run one way, from a higher floor to a lower one, and in no circle", () => {
  const { problems, used } = check(sourcesOf('src'));
  assert.equal(problems, []);
  const named = [...exceptions.sideways.map((e) => `${e.from} → ${e.to}`), ...exceptions.circles];
  assert.equal(
    named.filter((e) => !used.has(e)),
    [],
    'an exception nothing needs any more: remove it from test/layers.test.ts',
  );
});

test('the check finds an import up a floor, one sideways, a circle (type imports too), and ignores lazy circles', () => {
  const none = { sideways: [], circles: [] };
  const { problems } = check(
    new Map([
      ['src/manifest/rules.ts', "import { daysBetween } from '../plan/expiry.ts';"],
      ['src/plan/expiry.ts', 'export const expiryWarningDays = 30;'],
      ['src/verify/run.ts', "import { stepAnchor } from '../render/flavors.ts';"],
      ['src/render/flavors.ts', 'export const stepAnchor = 1;'],
      ['src/render/render.ts', "import type { IndexContext } from './template-context.ts';"],
      ['src/render/template-context.ts', "export type { Render } from './render.ts';"],
      ['src/render/load-renderer.ts', "const { contextOf } = await import('./check-template.ts');"],
      ['src/render/check-template.ts', "import { loadRenderer } from './load-renderer.ts';"],
      ['src/commands/generate.ts', "const x: import('../cli/program.ts').Options = {};"],
    ]),
    none,
  );
  assert.equal(problems, [
    'src/manifest/rules.ts (manifest) imports src/plan/expiry.ts (plan), a higher floor',
    'src/verify/run.ts (verify) imports src/render/flavors.ts (render), another stage of its floor',
    'src/commands/generate.ts (commands) imports src/cli/program.ts (cli), a higher floor',
    'a circle: src/render/render.ts, src/render/template-context.ts import each other',
  ]);
});

test('every test file a comment in the sources names exists', () => {
  const named = new Set<string>();
  for (const [, text] of [...sourcesOf('src'), ...sourcesOf('scripts'), ...sourcesOf('test')])
    for (const [name] of text.matchAll(/test\/[\w.-]+\.test\.ts/g)) named.add(name);
  assert.ok(named.size > 0);
  assert.equal(
    [...named].filter((n) => !existsSync(join(root, n))),
    [],
  );
});

test.run();
