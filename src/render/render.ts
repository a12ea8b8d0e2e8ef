import type { EnvironmentPlan, Plan } from '../plan/plan.ts';
import { handoutDocuments, indexColumns, renderedIn, type DocumentRow } from '../plan/documents.ts';
import { environmentFile, files } from '../plan/layout.ts';
import type { Render } from './engine.ts';
import { flowIn } from './flow.ts';
import type { HandoutDocument } from './handout/markdown-to-hast.ts';
import type { DocumentContext, IndexContext } from './template-context.ts';

/**
 * Every output as [relative path, text], in the table of documents' order, rendered lazily so that a big manifest
 * never holds all its documents in memory at once. Pure: the same plan and templates give the same bytes.
 */
export function* renderAll(
  plan: Plan,
  render: Render,
  only?: ReadonlySet<string>,
  handout?: HandoutOutput,
): Generator<[string, string]> {
  const top: IndexContext = {
    plan,
    cloud: plan.cloud,
    environments: plan.environments,
    files,
    retired: plan.environments.some((e) => e.retired),
    handouts: Boolean(handout),
    columns: indexColumns(Boolean(handout)),
  };
  for (const doc of renderedIn('top')) yield [doc.file, output(doc, render(doc.template, top))];
  for (const env of plan.environments) {
    if (only && !only.has(env.name)) continue;
    const texts = new Map<string, string>();
    for (const doc of renderedIn(env.retired ? 'retired' : 'environment')) {
      const text = output(doc, render(doc.template, contextFor(plan, env)));
      texts.set(doc.key, text);
      yield [`${env.name}/${doc.file}`, text];
    }
    if (handout && !env.retired) {
      // a retired environment has no setup documents to hand out
      const docs = handoutDocuments.map((d) => ({
        id: d.handout,
        file: d.file,
        markdown:
          handout.render === render ? texts.get(d.key)! : output(d, handout.render(d.template, contextFor(plan, env))),
      }));
      yield [environmentFile(env.name, 'handout'), handout.toHtml(docs, plan, env)];
    }
  }
}

/** The documents a handout holds, in its order, as GitHub-flavoured Markdown. */
export type HandoutDocuments = readonly HandoutDocument[];

/** How handouts are made: the GitHub-flavour renderer their Markdown comes from, and the Markdown → HTML step. */
export interface HandoutOutput {
  render: Render;
  toHtml: (docs: HandoutDocuments, plan: Plan, env: EnvironmentPlan) => string;
}

export const contextFor = (plan: Plan, env: EnvironmentPlan): DocumentContext => ({
  plan,
  env,
  cloud: plan.cloud,
  files,
  flow: flowIn(
    plan.language,
    env.servers.map((s) => s.label),
  ),
});

/** A rendered template as its file holds it. */
const output = (doc: DocumentRow, text: string): string =>
  doc.language === 'powershell' ? withEncodingMark(finish(text)) : finish(text);

/**
 * Windows PowerShell 5.1 reads a script without a byte-order mark in the ANSI code page: a UTF-8 `Ñ` becomes `Ã‘`, and
 * a misread character can be one of the four quotes PowerShell accepts, closing a literal early. So every .ps1 starts
 * with a UTF-8 BOM (PSScriptAnalyzer rule UseBOMForUnicodeEncodedFile; Microsoft Learn "about_Character_Encoding").
 * It is part of the text, so the writer, `--check` and the goldens all compare it byte for byte.
 */
function withEncodingMark(text: string): string {
  return text.startsWith('\ufeff') ? text : `\ufeff${text}`;
}

/** One trailing newline and no runs of blank lines, whatever the template's #if blocks left behind. */
function finish(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
