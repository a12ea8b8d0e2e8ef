import { documents, renderedIn } from '../../src/plan/documents.ts';

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
