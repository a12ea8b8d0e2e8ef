import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documents, renderedIn } from '../../src/plan/documents.ts';
import { runInProcess, tempDir } from './cli.ts';

// What generate writes, from the table of documents, so that no test breaks when a document is added.

/** The file names of an environment in use (or retired), sorted as a folder listing is. */
export const environmentFiles = (scope: 'environment' | 'retired' = 'environment'): string[] =>
  renderedIn(scope)
    .map((d) => d.file)
    .sort();

/** How many files generate writes for a manifest with this many environments in use (`html`: with --html). */
export const filesWritten = (environments: number, opts: { html?: boolean } = {}): number =>
  renderedIn('top').length +
  environments * documents.filter((d) => d.scope === 'environment' && (d.template !== null || opts.html)).length;

/**
 * Generates a manifest in-process from today's templates into a temporary folder (outside any git repository) and
 * returns every document by its path in the output folder; `args` are more generate flags (`--html`).
 */
export async function generateDocuments(
  manifest: string,
  file = 'hr.yaml',
  args: string[] = [],
): Promise<Record<string, string>> {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, file), manifest);
    const r = await runInProcess(['generate', file, '--out', 'out', ...args], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    const out = join(t.path, 'out');
    const docs: Record<string, string> = {};
    for (const e of readdirSync(out, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && !e.name.startsWith('.'))
        docs[join(e.parentPath, e.name).slice(out.length + 1)] = readFileSync(join(e.parentPath, e.name), 'utf8');
    }
    return docs;
  } finally {
    t.done();
  }
}
