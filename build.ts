// npm run build: bundles the CLI into dist/ with esbuild. One file to load is what makes start-up cheap, and two
// things are done once here instead of on every run: the bundled templates are precompiled (the CLI then loads
// only the Handlebars runtime) and the manifest schema becomes ajv standalone code (no schema compile at run time).
// The mail clients used only by `verify` stay external and are imported lazily; msal-node is bundled into its chunk.
import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sourceHash } from './scripts/source-hash.ts';
import Handlebars from 'handlebars';
import AjvModule from 'ajv/dist/2020.js';
import { _ } from 'ajv/dist/compile/codegen/index.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { compileOptions, templateText } from './src/render/engine.ts';
import { loadTemplateSources } from './src/render/template-source.ts';
import { ajvOptions } from './src/manifest/load-validator.ts';
import { formats } from './src/manifest/formats.ts';
import { manifestSchema } from './src/manifest/schema.ts';

const root = import.meta.dirname;
const generated = join(root, 'dist', 'generated');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

// Incremental: `npm test` builds first, so a build whose inputs have not changed is skipped. The hash written to
// dist/build-info.json is also what test/build-fresh.test.ts compares, so a test run can never use a stale bundle.
const hash = sourceHash(root);
const infoPath = join(root, 'dist', 'build-info.json');
if (
  !process.env.BUILD_FORCE &&
  !process.env.BUILD_META &&
  existsSync(infoPath) &&
  (JSON.parse(readFileSync(infoPath, 'utf8')) as { sourceHash?: string }).sourceHash === hash
) {
  console.log('dist/ is up to date with the sources');
  process.exit(0);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(generated, { recursive: true });

// Templates: name → { path, spec } where spec is Handlebars' precompiled template (JavaScript source).
const sources = await loadTemplateSources();
const entries = [...sources.values()].map(
  (src) =>
    `  ${JSON.stringify(src.name)}: { path: ${JSON.stringify(src.path)}, spec: ${Handlebars.precompile(templateText(src), compileOptions)} }`,
);
writeFileSync(join(generated, 'templates.js'), `export const precompiledTemplates = {\n${entries.join(',\n')}\n};\n`);

// Validator: ajv's standalone code emits require() for its runtime helpers; turn them into imports for the bundle.
const formatsModule = join(root, 'src/manifest/formats.ts');
const ajv = new AjvModule.default({
  ...ajvOptions,
  formats,
  code: { source: true, esm: true, formats: _`require(${formatsModule}).formats` },
});
let code = standaloneModule.default(ajv, ajv.compile(manifestSchema));
const imports = new Map<string, string>();
code = code.replace(/require\("([^"]+)"\)/g, (_, mod: string) => {
  if (!imports.has(mod)) imports.set(mod, `__dep${imports.size}`);
  return imports.get(mod)!;
});
const head = [...imports].map(([mod, id]) => `import * as ${id} from ${JSON.stringify(mod)};`).join('\n');
writeFileSync(
  join(generated, 'validator.js'),
  `${head}\n${code.replace(/^"use strict";/, '')}\nexport const precompiledValidator = validate;\n`,
);

/** Swaps the development stubs for the generated modules. */
const precompiled: Plugin = {
  name: 'precompiled',
  setup(b) {
    b.onResolve({ filter: /precompiled-templates\.ts$/ }, () => ({ path: join(generated, 'templates.js') }));
    b.onResolve({ filter: /precompiled-validator\.ts$/ }, () => ({ path: join(generated, 'validator.js') }));
  },
};

const result = await build({
  metafile: Boolean(process.env.BUILD_META),
  entryPoints: { cli: join(root, 'src/cli/bin.ts'), index: join(root, 'src/index.ts') },
  outdir: join(root, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Whitespace and syntax only: names stay readable, and linked source maps (loaded with --debug or
  // DEBUG=mail-oauth-runbook) point a field report's stack at src/.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  chunkNames: 'chunks/[name]-[hash]',
  // (The Markdown → HTML packages of `generate --html` are bundled: esbuild puts them in the handout's own chunk, loaded
  // only with --html, and an install no longer needs their 80-odd packages. So is @azure/msal-node, in verify's own
  // chunk: its package ships msal-common five times over (dist, dist-browser, lib, src, types), 10 of the 23 MB an
  // install took.)
  external: ['imapflow', 'nodemailer'],
  // BUNDLED drops the run-time fallbacks (ajv's compiler, reading templates/) that only development needs.
  define: { VERSION: JSON.stringify(pkg.version), BUNDLED: 'true' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [precompiled],
  // yaml's ES module build (published for browsers, plain JavaScript) lets esbuild hoist and tree-shake it; its
  // CommonJS build would be wrapped and initialised module by module at start-up.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  legalComments: 'none',
  logLevel: 'warning',
});
rmSync(generated, { recursive: true, force: true });
writeFileSync(infoPath, `${JSON.stringify({ sourceHash: hash }, null, 2)}\n`);
if (process.env.BUILD_META) writeFileSync(process.env.BUILD_META, JSON.stringify(result.metafile));

// The library's types: declarations of src/index.ts and what its types refer to. Sources import with .ts
// extensions; the published declarations name the .js files a consumer's TypeScript resolves them as.
const types = join(root, 'dist', 'types');
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.types.json')],
  { stdio: 'inherit' },
);
for (const entry of readdirSync(types, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const file = join(entry.parentPath, entry.name);
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(/((?:from |import\()['"]\.{1,2}\/[^'"]*)\.ts(['"])/g, '$1.js$2'),
  );
}
// Ship only the declarations the API's types reach, so no internal module's dependency types come along.
const reached = new Set<string>();
const visit = (file: string): void => {
  if (reached.has(file)) return;
  reached.add(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from |import\()['"](\.{1,2}\/[^'"]+)\.js['"]/g))
    visit(join(dirname(file), `${spec}.d.ts`));
};
visit(join(types, 'index.d.ts'));
for (const entry of readdirSync(types, { recursive: true, withFileTypes: true })) {
  const file = join(entry.parentPath, entry.name);
  if (entry.isFile() && !reached.has(file)) rmSync(file);
}
