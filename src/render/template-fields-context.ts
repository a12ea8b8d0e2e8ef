import { documentOfTemplate } from '../plan/documents.ts';
import type { TemplateContext } from './check-template.ts';
import { templateFields } from './template-fields.ts';

/** From the table of documents: the index has its own data; every other document, and every partial, an environment's. */
export function contextOf(overlayName: string): TemplateContext {
  // A language's overlay (languages/<language>/…) has the context of the template it replaces.
  const name = overlayName.replace(/^languages\/[^/]+\//, '');
  const doc = documentOfTemplate(name);
  // A partial has no row: its extension says its language.
  const language = (doc ? doc.language === 'powershell' : name.endsWith('.ps1.hbs')) ? 'powershell' : 'markdown';
  if (doc) return { fields: doc.scope === 'top' ? templateFields.index : templateFields.document, language };
  return { fields: name.startsWith('partials/') ? templateFields.document : undefined, language };
}
