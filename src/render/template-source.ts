import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.ts';
import { packageRoot } from '../paths.ts';

export interface TemplateSource {
  /** Name relative to the templates folder, e.g. runbook.md.hbs or partials/step-check.md.hbs. */
  name: string;
  /** Where it came from, for error messages. */
  path: string;
  text: string;
  /** Set when the file comes from the --templates folder. */
  override?: { bundled: boolean };
}

async function listTemplates(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** The bundled templates, with files of the same name from `overrideDir` taking their place. */
export async function loadTemplateSources(
  overrideDir?: string,
  shownOverride?: string,
): Promise<Map<string, TemplateSource>> {
  const bundled = join(packageRoot(), 'templates');
  const out = new Map<string, TemplateSource>();
  for (const name of await listTemplates(bundled)) {
    out.set(name, { name, path: `(bundled) templates/${name}`, text: await readFile(join(bundled, name), 'utf8') });
  }
  if (overrideDir) {
    let names: string[];
    try {
      names = await listTemplates(overrideDir);
    } catch (e) {
      throw new UsageError(
        'templates-unreadable',
        `cannot read the templates folder ${shownOverride ?? overrideDir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        'pass a folder holding .hbs files named like the bundled ones (runbook.md.hbs, partials/…)',
      );
    }
    for (const name of names) {
      out.set(name, {
        name,
        path: join(shownOverride ?? overrideDir, name),
        text: await readFile(join(overrideDir, name), 'utf8'),
        override: { bundled: out.has(name) },
      });
    }
  }
  return out;
}
