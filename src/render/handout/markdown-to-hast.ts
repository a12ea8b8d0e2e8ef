// Markdown → HTML syntax tree for the handout, through remark and remark-rehype. The documents are the generated
// GitHub-flavoured ones; the few GitHub-only constructs become HTML here: `<a id>` step anchors become heading ids,
// `> [!WARNING]` alerts become labelled asides, and the Mermaid block becomes the flow as an ordered list. Raw HTML
// is never passed through: a value can only ever be text.
import type { Root as HastRoot } from 'hast';
import type { BlockContent, Heading, Link, List, Nodes, Parent, Root, RootContent, Text } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { AlertKind } from '../../text/catalogue.ts';

const parser = unified().use(remarkParse).use(remarkGfm);
const toHast = unified().use(remarkRehype);

/** One document of the handout: its id (also the prefix of its heading ids) and its Markdown file name. */
export interface HandoutDocument {
  id: string;
  file: string;
  markdown: string;
}

export function parseDocuments(docs: readonly HandoutDocument[]): Map<string, Root> {
  return new Map(docs.map((d) => [d.id, parser.runSync(parser.parse(d.markdown)) as Root]));
}

/** Heading ids of every document, keyed by the anchor a Markdown link would use (explicit id or GitHub slug). */
export type Anchors = Map<string, Map<string, string>>;

/** Gives every heading an id (demoting it one level: the handout's own title is the only h1) and returns the map. */
export function assignHeadingIds(docs: readonly HandoutDocument[], trees: Map<string, Root>): Anchors {
  const anchors: Anchors = new Map();
  for (const d of docs) {
    const map = new Map<string, string>();
    const seen = new Map<string, number>();
    const tree = trees.get(d.id)!;
    let explicit: string | null = null;
    const name = (n: Nodes) => {
      if (n.type !== 'heading') return;
      const slug = githubSlug(textOf(n), seen);
      const id = explicit ?? `${d.id}-${slug}`;
      map.set(slug, id);
      if (explicit) map.set(explicit, id);
      explicit = null;
      n.depth = Math.min(6, n.depth + 1) as Heading['depth'];
      n.data = { ...n.data, hProperties: { ...(n.data?.hProperties ?? {}), id } };
    };
    tree.children = tree.children.filter((n) => {
      // `<a id="…"></a>` on its own line is a paragraph of two inline HTML nodes: the anchor of the heading after it.
      const raw =
        n.type === 'html'
          ? n.value
          : n.type === 'paragraph' && n.children.every((c) => c.type === 'html')
            ? n.children.map((c) => (c as { value: string }).value).join('')
            : null;
      if (raw === null) {
        walk(n, name);
        return true;
      }
      const m = /^<a id="([a-z0-9-]+)"><\/a>$/.exec(raw.trim());
      if (m) explicit = m[1]!;
      return false; // no raw HTML reaches the page
    });
    anchors.set(d.file, map);
  }
  return anchors;
}

/** Links to another document of the handout, or to a heading in one, point inside the page. */
export function rewriteLinks(doc: HandoutDocument, tree: Root, anchors: Anchors, docIds: Map<string, string>): void {
  walk(tree, (n) => {
    if (n.type !== 'link') return;
    const link = n as Link;
    if (/^[a-z][a-z0-9+.-]*:/i.test(link.url)) return;
    const hash = link.url.indexOf('#');
    const file = hash === -1 ? link.url : link.url.slice(0, hash);
    const anchor = hash === -1 ? '' : decodeURIComponent(link.url.slice(hash + 1));
    const target = file === '' ? doc.file : file;
    const ids = anchors.get(target);
    if (!ids) return; // a file beside the handout, such as the Exchange script
    link.url = `#${anchor ? (ids.get(anchor) ?? anchor) : docIds.get(target)}`;
  });
}

/**
 * A document of the handout named as code (`field-sheet.md`, as the runbook names it) becomes a link to its section:
 * the reader of the page has no such file, only the section.
 */
export function linkDocumentNames(tree: Root, docIds: Map<string, string>): void {
  walk(tree, (n) => {
    if (n.type === 'link' || !('children' in n)) return;
    const parent = n as Parent;
    parent.children = parent.children.map((c) =>
      c.type === 'inlineCode' && docIds.has(c.value)
        ? ({ type: 'link', url: `#${docIds.get(c.value)}`, children: [c] } as Link)
        : c,
    ) as typeof parent.children;
  });
}

/** GitHub's `> [!KIND]` alerts become asides with a visible label (`labels`: the document language's). */
export function convertAlerts(tree: Root, labels: Record<AlertKind, string>): void {
  walk(tree, (n) => {
    if (n.type !== 'blockquote') return;
    const first = n.children[0];
    const text = first?.type === 'paragraph' ? first.children[0] : undefined;
    const m = text?.type === 'text' ? /^\[!(NOTE|WARNING|IMPORTANT)\]\n?/.exec(text.value) : null;
    if (!m || !text || text.type !== 'text') return;
    const kind = m[1]!.toLowerCase();
    text.value = text.value.slice(m[0].length);
    const label = { type: 'strong', children: [{ type: 'text', value: `${labels[m[1] as AlertKind]}:` }] } as const;
    (first as Parent).children.unshift(label as never, { type: 'text', value: ' ' } as Text);
    n.data = { hName: 'aside', hProperties: { className: ['alert', `alert-${kind}`], role: 'note' } };
  });
}

/** The Mermaid block becomes the same flow (its `steps`) as an ordered list: readable, printable, drawn by no script. */
export function replaceMermaid(tree: Root, steps: readonly string[]): void {
  walkParents(tree, (parent) => {
    parent.children = parent.children.map((c): RootContent => {
      if (c.type !== 'code' || c.lang !== 'mermaid') return c;
      const list: List = {
        type: 'list',
        ordered: true,
        spread: false,
        data: { hProperties: { className: ['flow'] } },
        children: steps.map((s) => ({
          type: 'listItem',
          spread: false,
          children: [{ type: 'paragraph', children: [{ type: 'text', value: s }] } as BlockContent],
        })),
      };
      return list;
    }) as never;
  });
}

export const markdownToHast = (tree: Root): HastRoot => toHast.runSync(tree) as HastRoot;

function walk(node: Nodes, visit: (n: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const c of node.children) walk(c as Nodes, visit);
}

function walkParents(node: Nodes, visit: (n: Parent) => void): void {
  if (!('children' in node)) return;
  visit(node as Parent);
  for (const c of (node as Parent).children) walkParents(c as Nodes, visit);
}

export function textOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string' && node.type !== 'html') return node.value;
  return 'children' in node ? node.children.map((c) => textOf(c as Nodes)).join('') : '';
}

/** GitHub's heading slug (as github-slugger makes it), numbered when repeated within a document. */
function githubSlug(text: string, seen: Map<string, number>): string {
  const base = text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}
