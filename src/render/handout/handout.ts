// `generate --html`: one self-contained page per environment holding its runbook, portal checklist and field sheet,
// made from the same Markdown. Pure: the same documents give the same bytes. Loaded only when --html is asked.
import { createHash } from 'node:crypto';
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { renderedIn } from '../../plan/documents.ts';
import type { EnvironmentPlan, Plan } from '../../plan/plan.ts';
import { catalogueFor } from '../../text/languages.ts';
import { flowIn } from '../flow.ts';
import type { HandoutDocuments } from '../render.ts';
import { scriptFor, style } from './assets.ts';
import { copyButtons, counter, sectionsAt, tickableTasks } from './enhance.ts';
import {
  assignHeadingIds,
  convertAlerts,
  markdownToHast,
  parseDocuments,
  replaceMermaid,
  linkDocumentNames,
  rewriteLinks,
} from './markdown-to-hast.ts';
import { pasteableValues } from './pasteable.ts';

const serializer = unified().use(rehypeStringify);

/** An environment's documents that the handout does not hold (the scripts): the page says where they are. */
const besideThePage = renderedIn('environment')
  .filter((d) => !d.handout)
  .map((d) => d.file);

export function renderHandout(documents: HandoutDocuments, plan: Plan, env: EnvironmentPlan): string {
  const text = catalogueFor(plan.language);
  const words = text.handout;
  const trees = parseDocuments(documents);
  const anchors = assignHeadingIds(documents, trees);
  const docIds = new Map(documents.map((d) => [d.file, d.id]));
  const ids = counter();
  const pasteable = pasteableValues(plan, env);
  const sections = documents.map((d) => {
    const tree = trees.get(d.id)!;
    rewriteLinks(d, tree, anchors, docIds);
    linkDocumentNames(tree, docIds);
    convertAlerts(tree, text.alerts);
    replaceMermaid(
      tree,
      flowIn(
        plan.language,
        env.servers.map((s) => s.label),
      ).steps,
    );
    const content = markdownToHast(tree).children.filter((c): c is ElementContent => c.type !== 'doctype');
    const section = h(
      'section',
      { className: ['document'], id: d.id, ariaLabelledby: firstHeadingId(content) },
      d.id === 'runbook' ? runbookParts(content) : content,
    );
    tickableTasks(section, ids);
    copyButtons(section, pasteable, ids, words);
    return section;
  });

  // Ticks are kept per manifest, environment and content: a regenerated handout with other content starts clean.
  const contentHash = createHash('sha256')
    .update(JSON.stringify(documents.map((d) => d.markdown)))
    .digest('hex')
    .slice(0, 16);
  const title = words.title(plan.bizagi.project, env.name);
  const script = scriptFor(words.script);
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(style)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const page = h('html', { lang: text.tag, dataStorageKey: `${plan.source}/${env.name}/${contentHash}` }, [
    h('head', [
      h('meta', { charset: 'utf-8' }),
      h('meta', { httpEquiv: 'Content-Security-Policy', content: csp }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('meta', { name: 'generator', content: 'mail-oauth-runbook' }),
      h('title', title),
      h('style', style),
    ]),
    h('body', [
      h('header', { className: ['handout'] }, [
        h('h1', title),
        h('p', [words.intro.beforeSource, h('code', plan.source), words.intro.afterSource]),
        h('p', [
          words.beside.before,
          ...besideThePage.flatMap((file, i) => [...(i > 0 ? [', '] : []), h('code', file)]),
          words.beside.after,
        ]),
        h('div', { className: ['toolbar'] }, [
          h('nav', { ariaLabel: words.documents }, [
            h('a', { href: '#runbook' }, words.runbook),
            h('a', { href: '#checklist' }, words.checklist),
            h('a', { href: '#field-sheet' }, words.fieldSheet),
          ]),
          h('button', { type: 'button', id: 'reset' }, words.reset),
        ]),
        h('p', { id: 'status', className: ['status'], role: 'status', ariaLive: 'polite' }),
      ]),
      h('main', sections),
      h('script', script),
    ]),
  ]);
  return `<!doctype html>\n${serializer.stringify({ type: 'root', children: [page] })}\n`;
}

/**
 * The runbook in parts, for print: everything before the steps is the front matter, each step starts a page, and so
 * does what follows the steps.
 */
function runbookParts(children: ElementContent[]): ElementContent[] {
  const parts = sectionsAt(children, 3, () => ['part']);
  const steps = parts.findIndex(
    (p) => p.type === 'element' && p.tagName === 'section' && firstHeadingId(p.children) === 'runbook-steps',
  );
  return parts.map((p, i) => {
    if (p.type !== 'element' || steps === -1) return p;
    if (i === steps) return { ...p, children: sectionsAt(p.children, 4, () => ['step']) };
    if (i === steps + 1) return { ...p, properties: { ...p.properties, className: ['part', 'after-steps'] } };
    return p;
  });
}

function firstHeadingId(children: ElementContent[]): string | undefined {
  const heading = children.find((c): c is Element => c.type === 'element' && /^h[1-6]$/.test(c.tagName));
  return heading ? String(heading.properties?.id) : undefined;
}

const sha256 = (text: string): string => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
