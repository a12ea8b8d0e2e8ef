import type { Render } from './engine.ts';
import { compileOptions, createRenderer, templateText } from './engine.ts';
import { precompiledTemplates } from './precompiled-templates.ts';
import { loadTemplateSources } from './template-source.ts';

/** The renderer for the bundled templates (precompiled when built), or for them with `--templates` overrides. */
export async function loadRenderer(overrideDir?: string, shownOverride?: string): Promise<Render> {
  if (precompiledTemplates && !overrideDir) {
    const { default: runtime } = await import('handlebars/runtime');
    const specs = Object.entries(precompiledTemplates);
    return createRenderer(runtime.create() as never, specs.map(([name, t]) => ({ name, path: t.path, build: (hb) => hb.template(t.spec as never) })));
  }
  const { default: Handlebars } = await import('handlebars');
  const sources = await loadTemplateSources(overrideDir, shownOverride);
  return createRenderer(
    Handlebars.create(),
    [...sources.values()].map((src) => ({
      name: src.name,
      path: src.path,
      build: (hb) => {
        const text = templateText(src);
        hb.precompile(text, compileOptions); // eagerly: a syntax error fails the run before anything is written
        return hb.compile(text, compileOptions);
      },
    })),
  );
}
