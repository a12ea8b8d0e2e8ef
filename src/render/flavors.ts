// Markdown flavours: the few constructs where renderers disagree (alerts, diagrams, the table of contents, link
// targets), each written the way one renderer family understands it. Everything else in the templates is plain
// CommonMark plus GFM tables, which all of them render alike. Azure DevOps rules are from Microsoft's "Markdown
// syntax for wikis" (docs/project/wiki/wiki-markdown-guidance.md: `[[_TOC_]]`, `::: mermaid` blocks, "most HTML
// tags" unsupported in diagrams). Where a link to a step points is a plan fact (plan/anchors.ts).
import type { Flavor } from '../plan/anchors.ts';
import type { Step } from '../plan/steps.ts';
import type { AlertKind } from '../text/catalogue.ts';
import { catalogueFor, defaultLanguage, type Language } from '../text/languages.ts';
import { escapeMarkdown } from './escape-markdown.ts';
import type { Flow } from './flow.ts';

export { defaultFlavor, flavors, parseFlavor, type Flavor } from '../plan/anchors.ts';

/** A quote block: GitHub's alert syntax, or a blockquote whose first word is a bold label (CommonMark everywhere). */
export function alertBlock(flavor: Flavor, kind: string, body: string, language: Language = defaultLanguage): string {
  const labels = catalogueFor(language).alerts;
  const k = kind.toUpperCase() as AlertKind;
  if (!(k in labels)) throw new Error(`unknown alert kind "${kind}" (use note, warning or important)`);
  const lines = body.replace(/\n+$/, '').split('\n');
  const quoted = flavor === 'github' ? [`[!${k}]`, ...lines] : [`**${labels[k]}:** ${lines[0]}`, ...lines.slice(1)];
  return `${quoted.map((l) => (l === '' ? '>' : `> ${l}`)).join('\n')}\n`;
}

/** The flow diagram as a Mermaid flowchart. Azure DevOps' Mermaid takes no HTML in labels, so lines join with a colon. */
export function mermaidFlow(flavor: Flavor, data: Flow): string {
  const lineBreak = flavor === 'github' ? '<br/>' : ': ';
  const nodes = data.nodes.map((n) => `  ${n.id}["${n.lines.join(lineBreak)}"]`);
  const edges = data.edges.map((e) => {
    const label = e.label ? ` "${e.label}"` : '';
    if (e.dashed) return label ? `  ${e.from} -.${label} .-> ${e.to}` : `  ${e.from} -.-> ${e.to}`;
    return `  ${e.from} --${label} --> ${e.to}`;
  });
  return ['flowchart LR', ...nodes, ...edges].join('\n');
}

/** Helpers whose output depends on the flavour; registered next to the escaping helpers of engine.ts. */
export function flavorHelpers(flavor: Flavor) {
  return {
    stepLink: (step: unknown, file: unknown) => {
      const s = step as Step;
      const prefix = typeof file === 'string' ? file : '';
      return `[${escapeMarkdown(s.heading)}](${prefix}#${s.anchors[flavor]})`;
    },
    mermaidFlow: (data: unknown) => mermaidFlow(flavor, data as Flow),
  };
}
