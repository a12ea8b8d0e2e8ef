import type { Render } from './engine.ts';
import { compileOptions, createRenderer, helperNames, partialName, templateText, TemplateError } from './engine.ts';
import type { Flavor } from './flavors.ts';
import { precompiledTemplates } from './precompiled-templates.ts';
import { loadTemplateSources, type TemplateSource } from './template-source.ts';

/**
 * The renderer for the bundled templates (precompiled when built), or for them with `--templates` overrides. Override
 * files are checked before anything runs (every mistake at once); `warn` hears about files that would be ignored.
 */
export async function loadRenderer(
  overrideDir?: string,
  shownOverride?: string,
  warn: (message: string) => void = () => {},
  flavor?: Flavor,
): Promise<Render> {
  if (precompiledTemplates && !overrideDir) {
    const { default: runtime } = await import('handlebars/runtime');
    const specs = Object.entries(precompiledTemplates);
    return createRenderer(
      runtime.create() as never,
      specs.map(([name, t]) => ({ name, path: t.path, build: (hb) => hb.template(t.spec as never) })),
      flavor,
    );
  }
  const { default: Handlebars } = await import('handlebars');
  const sources = await loadTemplateSources(overrideDir, shownOverride);
  await checkOverrides([...sources.values()], Handlebars, warn);
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
    flavor,
  );
}

/** A user's templates: no bare value, no unknown helper, no path the plan lacks; a file nothing uses is pointed out. */
async function checkOverrides(
  sources: TemplateSource[],
  hb: typeof import('handlebars'),
  warn: (message: string) => void,
): Promise<void> {
  const overrides = sources.filter((s) => s.override);
  if (!overrides.length) return;
  const { checkTemplate } = await import('./check-template.ts');
  const { templateFields } = await import('./template-fields.ts');
  const { contextOf } = await import('./template-fields-context.ts');
  const problems: string[] = [];
  for (const src of overrides) {
    const context = contextOf(src.name);
    for (const p of checkTemplate(hb, src.name, src.text, helperNames, templateFields, context))
      problems.push(`${src.path}:${p.line}:${p.column}: ${p.message}\n    fix: ${p.fix}`);
    if (!src.override!.bundled && !usedAsPartial(src, sources)) {
      warn(
        `${src.path} replaces no bundled template and no template uses it as a partial, so it is ignored (the bundled names are listed by mail-oauth-runbook templates --out <dir>)`,
      );
    }
  }
  if (problems.length) {
    throw new TemplateError(
      'template-error',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the templates:\n  ${problems.join('\n  ')}`,
      'the fields and helpers templates can use are listed in docs/template-fields.md',
    );
  }
}

const usedAsPartial = (src: TemplateSource, sources: TemplateSource[]): boolean => {
  if (!src.name.startsWith('partials/')) return false;
  const call = new RegExp(`\\{\\{~?#?>\\s*${partialName(src.name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s}]`);
  return sources.some((s) => s !== src && call.test(s.text));
};
