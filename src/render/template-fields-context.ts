import type { FieldShape } from './check-template.ts';
import { templateFields } from './template-fields.ts';

/** The environment documents and their partials; the index; other templates (the verification report) are not described. */
const documents = ['runbook.md.hbs', 'portal-checklist.md.hbs', 'field-sheet.md.hbs', 'exchange-setup.ps1.hbs'];

export function contextOf(name: string): FieldShape | undefined {
  if (name === 'index.md.hbs') return templateFields.index;
  return documents.includes(name) || name.startsWith('partials/') ? templateFields.document : undefined;
}
