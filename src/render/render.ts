import type { EnvironmentPlan, Plan } from '../plan/plan.ts';
import { environmentFile, files, type OutputFile } from '../plan/layout.ts';
import type { Render } from './engine.ts';
import { flowIn } from './flow.ts';
import type { IndexContext } from './template-context.ts';

export { files };

const perEnvironment: [OutputFile, string][] = [
  ['runbook', 'runbook.md.hbs'],
  ['checklist', 'portal-checklist.md.hbs'],
  ['fieldSheet', 'field-sheet.md.hbs'],
  ['script', 'exchange-setup.ps1.hbs'],
];

/** A retired environment (`state: absent`) gets these instead of the setup documents. */
const perRetiredEnvironment: [OutputFile, string][] = [
  ['decommission', 'decommission.md.hbs'],
  ['teardown', 'exchange-teardown.ps1.hbs'],
];

/**
 * Every output as [relative path, text], in a stable order, rendered lazily so that a big manifest never holds all
 * its documents in memory at once. Pure: the same plan and templates give the same bytes.
 */
export function* renderAll(
  plan: Plan,
  render: Render,
  only?: ReadonlySet<string>,
  handout?: HandoutOutput,
): Generator<[string, string]> {
  const retired = plan.environments.some((e) => e.retired);
  yield [
    files.index,
    finish(
      render('index.md.hbs', {
        plan,
        cloud: plan.cloud,
        environments: plan.environments,
        files,
        retired,
        handouts: Boolean(handout),
      } satisfies IndexContext),
    ),
  ];
  for (const env of plan.environments) {
    if (only && !only.has(env.name)) continue;
    const texts = new Map<string, string>();
    for (const [key, template] of env.retired ? perRetiredEnvironment : perEnvironment) {
      const path = environmentFile(env.name, key);
      const text = finish(render(template, contextFor(plan, env)));
      texts.set(key, text);
      yield [path, withEncodingMark(path, text)];
    }
    if (handout && !env.retired) {
      // a retired environment has no setup documents to hand out
      const doc = (key: 'runbook' | 'checklist' | 'fieldSheet') =>
        handout.render === render
          ? texts.get(key)!
          : finish(handout.render(perEnvironment.find(([k]) => k === key)![1], contextFor(plan, env)));
      yield [
        environmentFile(env.name, 'handout'),
        handout.toHtml(
          { runbook: doc('runbook'), checklist: doc('checklist'), fieldSheet: doc('fieldSheet') },
          plan,
          env,
        ),
      ];
    }
  }
}

/** The three documents a handout holds, as GitHub-flavoured Markdown. */
export interface HandoutDocuments {
  runbook: string;
  checklist: string;
  fieldSheet: string;
}

/** How handouts are made: the GitHub-flavour renderer their Markdown comes from, and the Markdown → HTML step. */
export interface HandoutOutput {
  render: Render;
  toHtml: (docs: HandoutDocuments, plan: Plan, env: EnvironmentPlan) => string;
}

export const contextFor = (plan: Plan, env: EnvironmentPlan) => ({
  plan,
  env,
  cloud: plan.cloud,
  files,
  flow: flowIn(plan.language),
});

/**
 * Windows PowerShell 5.1 reads a script without a byte-order mark in the ANSI code page: a UTF-8 `Ñ` becomes `Ã‘`, and
 * a misread character can be one of the four quotes PowerShell accepts, closing a literal early. So every .ps1 starts
 * with a UTF-8 BOM (PSScriptAnalyzer rule UseBOMForUnicodeEncodedFile; Microsoft Learn "about_Character_Encoding").
 * It is part of the text, so the writer, `--check` and the goldens all compare it byte for byte.
 */
export function withEncodingMark(path: string, text: string): string {
  return path.endsWith('.ps1') && !text.startsWith('\ufeff') ? `\ufeff${text}` : text;
}

/** One trailing newline and no runs of blank lines, whatever the template's #if blocks left behind. */
function finish(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
