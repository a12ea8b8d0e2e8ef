// Every document generate writes, in one table. The output folder's names (layout.ts), the render order, the
// template checker's contexts, the handout's sections and the index's columns are all read from it, so a new
// document is one row here plus its template.

/** The language a document is written in, which decides its escaping helpers (and a .ps1's byte-order mark). */
export type TemplateLanguage = 'markdown' | 'powershell';

export interface DocumentRow {
  /** How code and templates name it: `files.<key>`. */
  key: string;
  /** Its file name, at the top of the output folder or inside an environment's folder (see scope). */
  file: string;
  /** The bundled template it is rendered from; null for the handout, which --html assembles from other documents. */
  template: string | null;
  language: TemplateLanguage | 'html';
  /** top: once per output folder; environment: per environment in use; retired: per environment with state: absent. */
  scope: 'top' | 'environment' | 'retired';
  /** The id of its section in the environment's handout.html (generate --html), in this table's order. */
  handout?: string;
  /** The heading of its column in the index (README.md); one column holds at most one document per scope. */
  column?: string;
}

/** In output order: what is at the top first, then each environment's documents. */
export const documents = [
  { key: 'index', file: 'README.md', template: 'index.md.hbs', language: 'markdown', scope: 'top' },
  {
    key: 'runbook',
    file: 'runbook.md',
    template: 'runbook.md.hbs',
    language: 'markdown',
    scope: 'environment',
    handout: 'runbook',
    column: 'Runbook',
  },
  {
    key: 'checklist',
    file: 'portal-checklist.md',
    template: 'portal-checklist.md.hbs',
    language: 'markdown',
    scope: 'environment',
    handout: 'checklist',
    column: 'Portal checklist',
  },
  {
    key: 'fieldSheet',
    file: 'field-sheet.md',
    template: 'field-sheet.md.hbs',
    language: 'markdown',
    scope: 'environment',
    handout: 'field-sheet',
    column: 'Field sheet',
  },
  {
    key: 'exchangeSetup',
    file: 'exchange-setup.ps1',
    template: 'exchange-setup.ps1.hbs',
    language: 'powershell',
    scope: 'environment',
    column: 'Exchange script',
  },
  {
    key: 'decommission',
    file: 'decommission.md',
    template: 'decommission.md.hbs',
    language: 'markdown',
    scope: 'retired',
    column: 'Runbook',
  },
  {
    key: 'exchangeTeardown',
    file: 'exchange-teardown.ps1',
    template: 'exchange-teardown.ps1.hbs',
    language: 'powershell',
    scope: 'retired',
    column: 'Exchange script',
  },
  { key: 'handout', file: 'handout.html', template: null, language: 'html', scope: 'environment', column: 'Handout' },
] as const satisfies readonly DocumentRow[];

type Row = (typeof documents)[number];
export type DocumentKey = Row['key'];

const rows: readonly DocumentRow[] = documents;

/** Output file names by key: `files.runbook` is `runbook.md`. */
export const files = Object.fromEntries(rows.map((d) => [d.key, d.file])) as {
  readonly [R in Row as R['key']]: R['file'];
};

/** The documents rendered from a template for the top of the folder, an environment in use, or a retired one. */
export const renderedIn = (scope: DocumentRow['scope']): (DocumentRow & { template: string })[] =>
  rows.filter((d): d is DocumentRow & { template: string } => d.scope === scope && d.template !== null);

/** The documents a handout holds, in its order. */
export const handoutDocuments = rows.filter((d): d is DocumentRow & { handout: string; template: string } =>
  Boolean(d.handout && d.template),
);

/** The document rendered from a bundled template of this name, if any. */
export const documentOfTemplate = (template: string): DocumentRow | undefined =>
  rows.find((d) => d.template === template);

/** One column of the index: the file an environment in use, and a retired one, has there (null: none). */
export interface IndexColumn {
  heading: string;
  /** The file an environment in use has in this column; null: none. */
  inUse: string | null;
  /** The file a retired environment (state: absent) has in this column; null: none (the cell says "retired"). */
  retired: string | null;
}

/**
 * The index's columns in the order of their first document. A document made only on request (the handout, with
 * --html) has its column only when it is made.
 */
export function indexColumns(handouts: boolean): IndexColumn[] {
  const columns = new Map<string, IndexColumn>();
  for (const d of rows) {
    if (!d.column || (d.template === null && !handouts)) continue;
    const column = columns.get(d.column) ?? { heading: d.column, inUse: null, retired: null };
    column[d.scope === 'retired' ? 'retired' : 'inUse'] = d.file;
    columns.set(d.column, column);
  }
  return [...columns.values()];
}
