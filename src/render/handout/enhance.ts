// The handout's working parts, added to the HTML tree: tickable checklist boxes with labels, a copy button beside
// every value someone pastes and every command block, and sections that printing starts on a new page.
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import type { HandoutText } from '../../text/catalogue.ts';

/** Values worth a copy button: everything a person pastes into a portal, a console or a shell, from the plan. */
export type Pasteable = ReadonlySet<string>;

interface Counter {
  next: (prefix: string) => string;
}

export function counter(): Counter {
  const counts = new Map<string, number>();
  return {
    next: (prefix) => {
      const n = (counts.get(prefix) ?? 0) + 1;
      counts.set(prefix, n);
      return `${prefix}-${n}`;
    },
  };
}

/** GitHub task list items (`- [ ] …`) become enabled checkboxes, each labelled by its item's text. */
export function tickableTasks(tree: Root | Element, ids: Counter): void {
  visitElements(tree, (el) => {
    if (el.tagName !== 'li' || !classes(el).includes('task-list-item')) return;
    const i = el.children.findIndex((c) => c.type === 'element' && c.tagName === 'input');
    if (i === -1) return;
    const id = ids.next('task');
    const rest = el.children.slice(i + 1);
    // autocomplete off: the browser's own form restoration would fight the ticks kept in local storage.
    const box = h('input', { type: 'checkbox', id, className: ['task'], autoComplete: 'off' });
    el.children = [box, h('label', { for: id }, trimStart(rest))];
  });
}

/** A copy button after each inline value in `pasteable` and after each code block; it copies its target's text. */
export function copyButtons(
  tree: Root | Element,
  pasteable: Pasteable,
  ids: Counter,
  words: Pick<HandoutText, 'copy' | 'copyCommand' | 'copyValue'>,
): void {
  const button = (target: string, label: string): Element =>
    h('button', { type: 'button', className: ['copy'], dataCopy: target, ariaLabel: label, title: label }, words.copy);
  // Not inside headings: a button there would become part of the heading's name.
  const done = (el: Element) => /^(pre|button|h[1-6])$/.test(el.tagName) || classes(el).includes('command');
  visitElements(
    tree,
    (el) => {
      if (done(el)) return;
      el.children = el.children.flatMap((c): ElementContent[] => {
        if (c.type !== 'element') return [c];
        if (c.tagName === 'pre') {
          const code = c.children.find((x): x is Element => x.type === 'element' && x.tagName === 'code');
          if (!code) return [c];
          const id = ids.next('command');
          code.properties = { ...code.properties, id };
          return [h('div', { className: ['command'] }, [c, button(id, words.copyCommand)])];
        }
        if (c.tagName === 'code' && pasteable.has(textContent(c))) {
          const id = ids.next('value');
          c.properties = { ...c.properties, id };
          return [c, { type: 'text', value: ' ' }, button(id, words.copyValue)];
        }
        return [c];
      });
    },
    done,
  );
}

/**
 * Groups a document's top-level children into sections, one per heading of `level` (content before the first heading
 * stays in front). `classFor` names each section's class from its heading id.
 */
export function sectionsAt(
  children: ElementContent[],
  level: number,
  classFor: (headingId: string) => string[],
): ElementContent[] {
  const out: ElementContent[] = [];
  let current: Element | null = null;
  for (const c of children) {
    if (c.type === 'element' && c.tagName === `h${level}`) {
      current = h('section', { className: classFor(String(c.properties?.id ?? '')) }, [c]);
      out.push(current);
    } else if (current) current.children.push(c);
    else out.push(c);
  }
  return out;
}

export function visitElements(
  node: Root | Element,
  visit: (el: Element) => void,
  skip?: (el: Element) => boolean,
): void {
  for (const c of node.children) {
    if (c.type !== 'element') continue;
    visit(c);
    if (!skip?.(c)) visitElements(c, visit, skip);
  }
}

export function textContent(node: ElementContent | Root): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map((c) => textContent(c as ElementContent)).join('') : '';
}

const classes = (el: Element): string[] => {
  const c = el.properties?.className;
  return Array.isArray(c) ? c.map(String) : typeof c === 'string' ? (c as string).split(' ') : [];
};

function trimStart(children: ElementContent[]): ElementContent[] {
  const [first, ...rest] = children;
  if (first?.type === 'text') return [{ ...first, value: first.value.replace(/^\s+/, '') }, ...rest];
  return children;
}
