import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import GithubSlugger from 'github-slugger';
import type { Root, Nodes } from 'mdast';

const processor = unified().use(remarkParse).use(remarkGfm);

export const parseMarkdown = (text: string): Root => processor.runSync(processor.parse(text)) as Root;

export function walk(node: Nodes, visit: (n: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const c of node.children) walk(c as Nodes, visit);
}

/** How many nodes of each type: equal counts for a benign and a hostile value prove the value added no structure. */
export function nodeCounts(tree: Root): Record<string, number> {
  const counts: Record<string, number> = {};
  walk(tree, (n) => (counts[n.type] = (counts[n.type] ?? 0) + 1));
  return counts;
}

function text(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  return 'children' in node ? node.children.map((c) => text(c as Nodes)).join('') : '';
}

export type Flavor = 'github' | 'azure-devops' | 'portable';

/**
 * Anchors a document offers in a renderer. GitHub: its heading slugs and explicit <a id="…"> targets. Azure DevOps
 * (Microsoft's "Anchor links" rule): heading text lower-cased, punctuation dropped, spaces to dashes. Portable: only
 * headings made of letters (of any script, composed), digits, single spaces and hyphens count, lower-cased with
 * spaces to dashes (the slug every renderer agrees on); raw HTML anchors do not.
 */
export function anchors(tree: Root, flavor: Flavor = 'github'): Set<string> {
  const slugger = new GithubSlugger();
  const out = new Set<string>();
  walk(tree, (n) => {
    if (n.type === 'heading') {
      const t = text(n);
      if (flavor === 'github') out.add(slugger.slug(t));
      if (flavor === 'azure-devops')
        out.add(
          t
            .trim()
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\p{M} -]/gu, '')
            .replace(/ /g, '-'),
        );
      if (flavor === 'portable' && /^[\p{L}\p{Nd}]+(?:[ -][\p{L}\p{Nd}]+)*$/u.test(t) && t === t.normalize('NFC'))
        out.add(t.toLowerCase().replace(/ /g, '-'));
    }
    if (n.type === 'html' && flavor !== 'portable')
      for (const m of n.value.matchAll(/<a id="([^"]+)">/g)) out.add(m[1]!);
  });
  return out;
}

export function links(tree: Root): string[] {
  const out: string[] = [];
  walk(tree, (n) => {
    if (n.type === 'link') out.push(n.url);
  });
  return out;
}

const structural = [
  'link',
  'image',
  'html',
  'heading',
  'table',
  'tableRow',
  'tableCell',
  'list',
  'listItem',
  'code',
  'inlineCode',
  'emphasis',
  'strong',
  'delete',
  'blockquote',
  'thematicBreak',
  'definition',
  'linkReference',
  'imageReference',
  'footnoteReference',
  'break',
];

/** Counts of every node type that is structure rather than text: a value that changes them is not inert. */
export const structure = (md: string): Record<string, number> => {
  const counts = nodeCounts(parseMarkdown(md));
  return Object.fromEntries(structural.map((t) => [t, counts[t] ?? 0]));
};
