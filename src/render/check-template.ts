import type Handlebars from 'handlebars';
import { closest } from '../manifest/suggest.ts';
import type { TemplateLanguage } from '../plan/documents.ts';

/** What a template can name, generated from the plan's types (scripts/template-fields.ts). */
export type FieldShape =
  | { kind: 'value'; type: string; doc?: string }
  | { kind: 'object'; fields: Record<string, FieldShape>; doc?: string }
  | { kind: 'list'; of: FieldShape; doc?: string }
  /** A named type (Step, EnvironmentPlan…) described once in `defs`. */
  | { kind: 'ref'; name: string; doc?: string };

export interface TemplateFields {
  defs: Record<string, FieldShape>;
  document: FieldShape;
  index: FieldShape;
}

/** What the checker needs to know of a template: its data, and the language its values are escaped for. */
export interface TemplateContext {
  /** undefined for a template whose data the reference does not describe (the verification report): paths go unchecked. */
  fields: FieldShape | undefined;
  language: TemplateLanguage;
}

export interface TemplateProblem {
  line: number;
  column: number;
  message: string;
  fix: string;
}

/**
 * Handlebars' own helpers, `join` (each, with separators) and `alert` (a note or warning in the flavour's syntax):
 * block helpers that take the plan's values as they are.
 */
const builtins = ['if', 'unless', 'each', 'with', 'lookup', 'log', 'join', 'alert'];
/** The escapers each output language may use; a PowerShell template takes only PowerShell's. */
const powershellHelpers = ['ps', 'psArray', 'psComment', 'stepNumber', 'exo'];

type Node = hbs.AST.Node & Record<string, unknown>;
type Path = hbs.AST.PathExpression;

/**
 * Checks a user's template before it runs, reporting every mistake at once: a bare {{value}} (it would reach the
 * output unescaped), a helper that does not exist or does not escape for the file's language, and a path the plan
 * does not have (naming the segment that is wrong, with "did you mean").
 */
export function checkTemplate(
  hb: typeof Handlebars,
  name: string,
  text: string,
  helpers: readonly string[],
  fields: TemplateFields,
  /** The template's data and output language, from the table of documents (template-fields-context.ts). */
  template: TemplateContext,
): TemplateProblem[] {
  const context = template.fields;
  const deref = (s: FieldShape | undefined): FieldShape | undefined =>
    s?.kind === 'ref' ? deref(fields.defs[s.name]) : s;
  const problems: TemplateProblem[] = [];
  const isPartial = name.startsWith('partials/');
  const isPowerShell = template.language === 'powershell';
  const allowed = isPowerShell ? powershellHelpers : helpers;
  const at = (node: hbs.AST.Node, message: string, fix: string) =>
    problems.push({ line: node.loc.start.line, column: node.loc.start.column + 1, message, fix });

  const helperCall = (node: hbs.AST.Node, helper: string, block: boolean) => {
    if (builtins.includes(helper)) return;
    if (!helpers.includes(helper)) {
      const hint = closest(helper, [...helpers, ...builtins]);
      at(
        node,
        `unknown helper "${helper}"${hint ? ` — did you mean "${hint}"?` : ''}`,
        `the helpers are: ${helpers.join(', ')} (and Handlebars' ${builtins.join(', ')})`,
      );
    } else if (block) {
      at(node, `"${helper}" is not a block helper`, `write {{${helper} value}}, not {{#${helper}}}`);
    } else if (!allowed.includes(helper)) {
      at(
        node,
        `"${helper}" does not escape for PowerShell`,
        `in a PowerShell template, values go through ${powershellHelpers.join(', ')}`,
      );
    }
  };

  /** Resolves a path in a scope stack; reports the first segment the plan lacks. Unknown scopes are not checked. */
  const resolvePath = (path: Path, scopes: (FieldShape | undefined)[]): FieldShape | undefined => {
    let shape: FieldShape | undefined;
    let parts = path.parts;
    if (path.data) {
      if (parts[0] !== 'root') return undefined; // @index, @key, @first…
      shape = context;
      parts = parts.slice(1);
    } else {
      shape = scopes[scopes.length - 1 - path.depth];
    }
    shape = deref(shape);
    if (!shape) return undefined;
    const walked: string[] = path.data ? ['@root'] : [];
    for (const [i, part] of parts.entries()) {
      if (shape.kind === 'list') {
        if (/^\d+$/.test(part) || part === 'length') {
          shape = part === 'length' ? { kind: 'value', type: 'number' } : deref(shape.of)!;
          walked.push(part);
          continue;
        }
      }
      if (shape.kind !== 'object') {
        at(
          path,
          `${path.original}: ${walked.join('.') || 'this'} is ${shape.kind === 'list' ? 'a list' : `a value (${shape.kind === 'value' ? shape.type : shape.name})`}, it has no field "${part}"`,
          'remove the extra segment, or use {{#each}} for a list',
        );
        return undefined;
      }
      const next: FieldShape | undefined = Object.hasOwn(shape.fields, part) ? shape.fields[part] : undefined;
      if (!next) {
        // In a partial, a first segment the document context lacks is one of the partial's own parameters.
        if (i === 0 && !path.data && path.depth === 0 && isPartial && scopes.length === 1) return undefined;
        const hint = closest(part, Object.keys(shape.fields));
        const where = walked.length ? walked.join('.') : 'the template context';
        at(
          path,
          `${path.original}: ${where} has no field "${part}"${hint ? ` — did you mean "${hint}"?` : ''}`,
          `${where} has: ${Object.keys(shape.fields).join(', ')} (see docs/template-fields.md)`,
        );
        return undefined;
      }
      shape = deref(next)!;
      walked.push(part);
    }
    return shape;
  };

  const expression = (e: hbs.AST.Expression, scopes: (FieldShape | undefined)[]): FieldShape | undefined => {
    if (e.type === 'PathExpression') return resolvePath(e as Path, scopes);
    if (e.type === 'SubExpression') {
      const sub = e as hbs.AST.SubExpression;
      const helper = (sub.path as Path).original;
      helperCall(sub, helper, false);
      for (const p of sub.params) expression(p, scopes);
      for (const pair of sub.hash?.pairs ?? []) expression(pair.value, scopes);
    }
    return undefined;
  };

  const visit = (node: Node | undefined, scopes: (FieldShape | undefined)[]): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of (node as unknown as hbs.AST.Program).body) visit(s as Node, scopes);
        return;
      case 'MustacheStatement': {
        const m = node as unknown as hbs.AST.MustacheStatement;
        const path = m.path as Path;
        if (m.params.length === 0 && !m.hash) {
          at(
            m,
            `{{${path.original ?? '…'}}} inserts a value unescaped`,
            isPowerShell
              ? 'write {{ps value}} (or psArray, psComment)'
              : 'write {{md value}} in text, {{code value}} in a code span, {{ps value}} in PowerShell',
          );
          if (path.type === 'PathExpression') resolvePath(path, scopes);
          return;
        }
        if (path.type === 'PathExpression') helperCall(m, path.original, false);
        for (const p of m.params) expression(p, scopes);
        for (const pair of m.hash?.pairs ?? []) expression(pair.value, scopes);
        return;
      }
      case 'BlockStatement': {
        const b = node as unknown as hbs.AST.BlockStatement;
        const helper = (b.path as Path).original;
        helperCall(b, helper, true);
        const target = b.params[0] ? expression(b.params[0], scopes) : undefined;
        for (const p of b.params.slice(1)) expression(p, scopes);
        for (const pair of b.hash?.pairs ?? []) expression(pair.value, scopes);
        const loop = helper === 'each' || helper === 'join';
        const inner = loop
          ? target?.kind === 'list'
            ? deref(target.of)
            : undefined
          : helper === 'with'
            ? target
            : scopes[scopes.length - 1];
        const blockScopes =
          loop || helper === 'with' ? [...scopes, b.program.blockParams?.length ? undefined : inner] : scopes;
        visit(b.program as unknown as Node, blockScopes);
        visit(b.inverse as unknown as Node, scopes);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const p = node as unknown as hbs.AST.PartialStatement;
        for (const param of p.params) expression(param, scopes);
        for (const pair of p.hash?.pairs ?? []) expression(pair.value, scopes);
        if (p.name.type === 'SubExpression') expression(p.name, scopes);
        return;
      }
      default:
        return;
    }
  };

  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(text);
  } catch {
    return []; // a syntax error is reported by the compiler, with its own position
  }
  visit(ast as unknown as Node, [context]);
  return problems;
}
