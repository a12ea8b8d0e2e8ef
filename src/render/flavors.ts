// Markdown flavours: the few constructs where renderers disagree (alerts, diagrams, the table of contents, link
// targets), each written the way one renderer family understands it. Everything else in the templates is plain
// CommonMark plus GFM tables, which all of them render alike. Azure DevOps rules are from Microsoft's "Markdown
// syntax for wikis" (docs/project/wiki/wiki-markdown-guidance.md: `[[_TOC_]]`, `::: mermaid` blocks, "most HTML
// tags" unsupported in diagrams) and "Syntax guidance for basic Markdown usage" (markdown-guidance.md, Anchor links:
// heading text lower-cased, punctuation ignored, spaces to dashes).
import { UsageError } from '../errors.ts';
import type { Step } from '../plan/steps.ts';
import { escapeMarkdown } from './escape-markdown.ts';
import { flow } from './flow.ts';

export const flavors = ['github', 'azure-devops', 'portable'] as const;
export type Flavor = (typeof flavors)[number];
export const defaultFlavor: Flavor = 'github';

export function parseFlavor(value: string): Flavor {
  if ((flavors as readonly string[]).includes(value)) return value as Flavor;
  throw new UsageError('unknown-flavor', `unknown Markdown flavour "${value}"`, `use one of: ${flavors.join(', ')}`);
}

type Alert = 'NOTE' | 'WARNING' | 'IMPORTANT';
const alertLabel: Record<Alert, string> = { NOTE: 'Note', WARNING: 'Warning', IMPORTANT: 'Important' };

/** A quote block: GitHub's alert syntax, or a blockquote whose first word is a bold label (CommonMark everywhere). */
export function alertBlock(flavor: Flavor, kind: string, body: string): string {
  const k = kind.toUpperCase() as Alert;
  if (!(k in alertLabel)) throw new Error(`unknown alert kind "${kind}" (use note, warning or important)`);
  const lines = body.replace(/\n+$/, '').split('\n');
  const quoted = flavor === 'github' ? [`[!${k}]`, ...lines] : [`**${alertLabel[k]}:** ${lines[0]}`, ...lines.slice(1)];
  return `${quoted.map((l) => (l === '' ? '>' : `> ${l}`)).join('\n')}\n`;
}

/** The heading text of a step, as step-heading partials print it. */
export const stepHeading = (step: Step): string => `Step ${step.number}: ${step.title}`;

/**
 * Where a link to a step points. GitHub documents carry an explicit `<a id>` per step (stable ids that verify's
 * diagnoses link to). Azure DevOps gets its own heading slug. Portable documents have no raw HTML, so a step is
 * reached through the slug of a heading made only of letters, digits, spaces and hyphens: the one slug that
 * GitHub, GitLab, Azure DevOps, pandoc and markdown-it-anchor all derive the same way.
 */
export function stepAnchor(flavor: Flavor, step: Step): string {
  if (flavor === 'github') return step.anchor;
  if (flavor === 'azure-devops') return azureDevOpsSlug(stepHeading(step));
  return portableSlug(step.title);
}

export const azureDevOpsSlug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} -]/gu, '')
    .replace(/ /g, '-');

export function portableSlug(heading: string): string {
  if (!/^[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*$/.test(heading))
    throw new Error(`"${heading}" has no slug that every renderer agrees on`);
  return heading.toLowerCase().replace(/ /g, '-');
}

/** The flow diagram as a Mermaid flowchart. Azure DevOps' Mermaid takes no HTML in labels, so lines join with a colon. */
export function mermaidFlow(flavor: Flavor, data: typeof flow = flow): string {
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
      return `[Step ${s.number}: ${escapeMarkdown(s.title)}](${prefix}#${stepAnchor(flavor, s)})`;
    },
    mermaidFlow: (data: unknown) => mermaidFlow(flavor, data as typeof flow),
  };
}
