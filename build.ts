// npm run build: bundles the CLI into dist/ with esbuild. One file to load is what makes start-up cheap, and two
// things are done once here instead of on every run: the bundled templates are precompiled (the CLI then loads
// only the Handlebars runtime) and the manifest schema becomes ajv standalone code (no schema compile at run time).
// Dependencies used only by `verify` stay external and are imported lazily.
import { build, type Plugin } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(generated, { recursive: true });

// Templates: name → { path, spec } where spec is Handlebars' precompiled template (JavaScript source).
const sources = await loadTemplateSources();
const entries = [...sources.values()].map((src) => `  ${JSON.stringify(src.name)}: { path: ${JSON.stringify(src.path)}, spec: ${Handlebars.precompile(templateText(src), compileOptions)} }`);
writeFileSync(join(generated, 'templates.js'), `export const precompiledTemplates = {\n${entries.join(',\n')}\n};\n`);

// Validator: ajv's standalone code emits require() for its runtime helpers; turn them into imports for the bundle.
const formatsModule = join(root, 'src/manifest/formats.ts');
const ajv = new AjvModule.default({ ...ajvOptions, formats, code: { source: true, esm: true, formats: _`require(${formatsModule}).formats` } });
let code = standaloneModule.default(ajv, ajv.compile(manifestSchema));
const imports = new Map<string, string>();
code = code.replace(/require\("([^"]+)"\)/g, (_, mod: string) => {
  if (!imports.has(mod)) imports.set(mod, `__dep${imports.size}`);
  return imports.get(mod)!;
});
const head = [...imports].map(([mod, id]) => `import * as ${id} from ${JSON.stringify(mod)};`).join('\n');
writeFileSync(join(generated, 'validator.js'), `${head}\n${code.replace(/^"use strict";/, '')}\nexport const precompiledValidator = validate;\n`);

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
  entryPoints: { cli: join(root, 'src/cli/bin.ts') },
  outdir: join(root, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: !process.env.BUILD_NO_MINIFY,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@azure/msal-node', 'imapflow', 'nodemailer'],
  define: { VERSION: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [precompiled],
  // yaml's ES module build (published for browsers, plain JavaScript) lets esbuild hoist and tree-shake it; its
  // CommonJS build would be wrapped and initialised module by module at start-up.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  legalComments: 'none',
  logLevel: 'warning',
});
rmSync(generated, { recursive: true, force: true });
if (process.env.BUILD_META) writeFileSync(process.env.BUILD_META, JSON.stringify(result.metafile));
