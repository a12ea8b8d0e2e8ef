// Where a link to a step points, in each Markdown flavour: a fact of the plan, read by the templates' links and by
// verify's "redo step" links alike. Azure DevOps rules are from Microsoft's "Syntax guidance for basic Markdown usage"
// (markdown-guidance.md, Anchor links: heading text lower-cased, punctuation ignored, spaces to dashes).

import { UsageError } from '../errors.ts';

/** The Markdown flavours documents are written in (see render/flavors.ts for what differs between them). */
export const flavors = ['github', 'azure-devops', 'portable'] as const;
export type Flavor = (typeof flavors)[number];
export const defaultFlavor: Flavor = 'github';

export function parseFlavor(value: string): Flavor {
  if ((flavors as readonly string[]).includes(value)) return value as Flavor;
  throw new UsageError('unknown-flavor', `unknown Markdown flavour "${value}"`, `use one of: ${flavors.join(', ')}`);
}

/**
 * A step's anchor per flavour, from the headings the flavours print. GitHub documents carry an explicit `<a id>` per
 * step (its stable id, which verify's diagnoses link to). Azure DevOps gets the slug of its heading. Portable
 * documents have no raw HTML, so a step is reached through the slug of its heading, made of its title alone.
 */
export function stepAnchors(step: { id: string; heading: string; title: string }): Record<Flavor, string> {
  return { github: step.id, 'azure-devops': azureDevOpsSlug(step.heading), portable: portableSlug(step.title) };
}

export const azureDevOpsSlug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} -]/gu, '')
    .replace(/ /g, '-');

const word = '[\\p{L}\\p{Nd}]+';
const portableHeading = new RegExp(`^${word}(?:[ -]${word})*$`, 'u');

/**
 * The one slug GitHub, GitLab, Azure DevOps, pandoc and markdown-it-anchor all derive alike: that of a heading made of
 * words of letters (of any script, accented ones too) and digits, joined by single spaces or hyphens, lower-cased with
 * spaces to dashes. They differ on punctuation, on combining marks (pandoc drops them) and on how a link is encoded,
 * so a heading with punctuation, in decomposed form, or whose lower case changes its length (`İ`) has none.
 * markdown-it-anchor percent-encodes the id, and markdown-it percent-encodes the link alike, so they still meet.
 * Checked with github-slugger, pandoc 2.17 (markdown, gfm, commonmark_x) and markdown-it-anchor 10 on "Concesión del
 * consentimiento del administrador". kramdown (Jekyll) makes ASCII-only ids and is not among the renderers served.
 */
export function portableSlug(heading: string): string {
  const slug = heading.toLowerCase().replace(/ /g, '-');
  const alike =
    portableHeading.test(heading) &&
    heading.normalize('NFC') === heading &&
    [...slug].length === [...heading].length &&
    portableHeading.test(slug.replace(/-/g, ' '));
  if (!alike) throw new Error(`"${heading}" has no slug that every renderer agrees on`);
  return slug;
}
