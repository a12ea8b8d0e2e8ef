import type Handlebars from 'handlebars';
import { UsageError } from '../errors.ts';
import type { Plan } from '../plan/plan.ts';
import type { Step } from '../plan/steps.ts';
import { alertBlock, defaultFlavor, flavorHelpers, type Flavor } from './flavors.ts';
import { defaultLanguage } from '../text/languages.ts';
import { cellCodeSpan, codeSpan, escapeMarkdown, shellWord } from './escape-markdown.ts';
import { psArray, psComment, psLiteral } from './escape-powershell.ts';
import { exchangeCommand } from './exchange-commands.ts';
import type { TemplateSource } from './template-source.ts';

export type Render = (name: string, context: object) => string;

/** Helpers are the only way a value reaches output; each escapes for one output language. */
const helpers: Record<string, (...args: unknown[]) => string> = {
  md: (v) => escapeMarkdown(String(v)),
  code: (v) => codeSpan(String(v)),
  cellCode: (v) => cellCodeSpan(String(v)),
  ps: (v) => psLiteral(String(v)),
  psArray: (v) => psArray((v as unknown[]).map(String)),
  psComment: (v) => psComment(String(v)),
  /** A PowerShell literal of the value, or of the placeholder while the value is not known (null): `'<Object ID>'`. */
  psOr: (v, placeholder) => psLiteral(String(v ?? placeholder)),
  stepNumber: (step) => String((step as Step).number),
  sh: (v) => shellWord(String(v)),
  href: (v) => encodeURI(String(v)).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  /**
   * A code span of a PowerShell command line on a file of the current folder: `{{runHere files.exchangeSetup after="-WhatIf"}}`
   * gives `.\exchange-setup.ps1 -WhatIf`, `before="Unblock-File"` puts a command first (a Handlebars string cannot
   * end with the backslash).
   */
  runHere: (file, options) => {
    const { before, after } = ((options as { hash?: Record<string, unknown> }).hash ?? {}) as Record<string, unknown>;
    return codeSpan([before, `.\\${String(file)}`, after].filter((p) => p !== undefined).join(' '));
  },
};

/**
 * The one way templates join a list: `{{#join env.servers}}{{md label}}{{else}}none{{/join}}` renders the block for
 * each item, separated by ", " (or by `sep`, e.g. `sep=" and "`; prose gives `last=" and "` for the final pair, so three
 * items read "IMAP, POP and SMTP"); the else block when the list is empty. The plan
 * hands lists to templates, never strings it joined itself, so each item is escaped by the template for its language.
 */
function joinHelper(hb: typeof Handlebars) {
  return function (
    this: unknown,
    items: unknown,
    options: Handlebars.HelperOptions & { loc?: { start: { line: number; column: number } } },
  ) {
    if (!Array.isArray(items)) {
      throw Object.assign(new Error('"join" needs a list from the plan'), {
        lineNumber: options.loc?.start.line,
        column: options.loc?.start.column,
      });
    }
    if (items.length === 0) return options.inverse(this);
    const sep = typeof options.hash.sep === 'string' ? options.hash.sep : ', ';
    const lastSep = typeof options.hash.last === 'string' ? options.hash.last : sep;
    return items
      .map((item, index) => {
        const data = hb.createFrame(options.data ?? {});
        Object.assign(data, { index, first: index === 0, last: index === items.length - 1 });
        const text = options.fn(item, { data, blockParams: [item, index] });
        return index === 0 ? text : `${index === items.length - 1 ? lastSep : sep}${text}`;
      })
      .join('');
  };
}

/** The helpers a template may call (the escapers), for the template checker. */
export const helperNames: readonly string[] = [
  ...Object.keys(helpers),
  ...Object.keys(flavorHelpers(defaultFlavor)),
  'exo',
];

export class TemplateError extends UsageError {}

/**
 * Strict mode only checks the path up to its last segment when the path is a helper argument, so a misspelt field
 * would print "undefined". Every helper therefore refuses a missing (undefined) or unknown (null) value, and says
 * where the template used it.
 */
function guardArguments(name: string, fn: (...args: unknown[]) => string) {
  return (...args: unknown[]) => {
    const options = args.pop() as { loc?: { start: { line: number; column: number } }; name?: string };
    if (args.some((a, i) => a === undefined || (a === null && !(name === 'psOr' && i === 0)))) {
      const missing = args.some((a) => a === undefined);
      throw Object.assign(
        new Error(
          missing
            ? `a value passed to "${name}" does not exist in the plan`
            : `a value passed to "${name}" is not known (null); test it with {{#if}} first`,
        ),
        { lineNumber: options.loc?.start.line, column: options.loc?.start.column },
      );
    }
    return fn(...args, options); // options last, as Handlebars passes them: `runHere` reads its hash
  };
}

/** A template ready to run in a given Handlebars environment: compiled from source, or revived from a precompiled spec. */
export interface LoadedTemplate {
  name: string;
  path: string; // for error messages
  build: (hb: typeof Handlebars) => Handlebars.TemplateDelegate;
}

/**
 * Registers helpers and partials in an isolated environment; errors name the template file and line. The flavour
 * picks the flavour-dependent helpers (`stepLink`: a link to a runbook step, `[Step 3: Grant admin consent](#…)`, the
 * optional file prefixing another document; `mermaidFlow`; the `#alert` block) and the partials: one in
 * `partials/flavors/<flavor>/` takes the place of the partial of the same name. The language picks the overlay: a
 * template or partial under `languages/<language>/` takes the place of the one of the same name (a language's own
 * flavour partial, `languages/<language>/partials/flavors/<flavor>/`, over both).
 */
export function createRenderer(
  hb: typeof Handlebars,
  templates: readonly LoadedTemplate[],
  flavor: Flavor = defaultFlavor,
  language: string = defaultLanguage,
): Render {
  for (const [name, fn] of Object.entries({ ...helpers, ...flavorHelpers(flavor) }))
    hb.registerHelper(name, guardArguments(name, fn as (...args: unknown[]) => string));
  hb.registerHelper('alert', function (this: unknown, kind: unknown, options: Handlebars.HelperOptions) {
    // Its label is in the language of the plan being rendered.
    const language = (options.data?.root as { plan?: Plan } | undefined)?.plan?.language;
    return alertBlock(flavor, String(kind), options.fn(this), language);
  });
  // {{exo 'name' param=… }}: one Exchange command, defined once for the runbook and the script (exchange-commands.ts).
  hb.registerHelper(
    'exo',
    (name: unknown, options: { hash?: Record<string, unknown>; loc?: { start: { line: number; column: number } } }) => {
      try {
        return exchangeCommand(String(name), options.hash ?? {});
      } catch (e) {
        throw Object.assign(new Error((e as Error).message), {
          lineNumber: options.loc?.start.line,
          column: options.loc?.start.column,
        });
      }
    },
  );
  hb.registerHelper('join', joinHelper(hb));

  hb.registerHelper(lineHelper, function (this: unknown, options: Handlebars.HelperOptions) {
    return options.fn(this).replace(/\n$/, '');
  });
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const chosen = overlaid(templates, flavor, language);
  for (const { template: t, name } of chosen) {
    let fn: Handlebars.TemplateDelegate;
    try {
      fn = t.build(hb);
    } catch (e) {
      throw templateError(t.path, e);
    }
    const guarded = (ctx: unknown, o?: Handlebars.RuntimeOptions) => {
      try {
        return fn(ctx, o);
      } catch (e) {
        throw e instanceof TemplateError ? e : templateError(t.path, e);
      }
    };
    if (name.startsWith('partials/')) hb.registerPartial(partialName(name), guarded);
    compiled.set(name, guarded);
  }
  return (name, context) => {
    const fn = compiled.get(name);
    if (!fn) throw new Error(`no template ${name}`);
    return fn(context);
  };
}

/**
 * The templates that apply to a flavour and a language, each under the name it replaces, in the order they are
 * registered: the common ones, then the language's, then the flavour's, then the language's own flavour partials, so
 * that the most specific of a name comes last and wins. Other flavours' and other languages' files are left out.
 */
export function overlaid(
  templates: readonly LoadedTemplate[],
  flavor: Flavor,
  language: string,
): { template: LoadedTemplate; name: string }[] {
  const ownLanguage = `languages/${language}/`;
  const ownFlavor = `partials/flavors/${flavor}/`;
  return templates
    .flatMap((template) => {
      const inLanguage = template.name.startsWith(ownLanguage);
      if (!inLanguage && template.name.startsWith('languages/')) return [];
      const rest = inLanguage ? template.name.slice(ownLanguage.length) : template.name;
      const inFlavor = rest.startsWith(ownFlavor);
      if (!inFlavor && rest.startsWith('partials/flavors/')) return [];
      const name = inFlavor ? `partials/${rest.slice(ownFlavor.length)}` : rest;
      return [{ template, name, rank: (inFlavor ? 2 : 0) + (inLanguage ? 1 : 0) }];
    })
    .sort((a, b) => a.rank - b.rank)
    .map(({ template, name }) => ({ template, name }));
}

/** partials/grant-consent.md.hbs is the partial "grant-consent": step partials are found by step id. */
export const partialName = (name: string): string => name.slice('partials/'.length).replace(/\..*$/, '');

const lineHelper = '__line';

/**
 * The text Handlebars compiles: a one-line partial is used inside a line, so its file's final newline is not part of
 * it. A partial called on a line of its own must still end that line, whatever its file ends with (a company header
 * `> ACME` without a newline would otherwise pull the next paragraph into its blockquote): such a call is wrapped in
 * a block that drops one final newline, and the line's own newline, kept because the line is no longer a standalone
 * tag, ends it. Line numbers do not move.
 */
export function templateText(src: TemplateSource): string {
  const text =
    src.name.startsWith('partials/') && src.text.indexOf('\n') === src.text.length - 1
      ? src.text.slice(0, -1)
      : src.text;
  return text.replace(/^(\{\{>[^{}~]*\}\})[ \t]*$/gm, `{{#${lineHelper}}}$1{{/${lineHelper}}}`);
}

export const compileOptions = { strict: true, noEscape: true } as const;

function templateError(path: string, e: unknown): TemplateError {
  const err = e as { message?: string; lineNumber?: number; column?: number };
  const message = String(err.message ?? e).split('\n');
  let line = err.lineNumber;
  let column = err.column === undefined ? undefined : err.column + 1;
  const parse = /^Parse error on line (\d+)/.exec(message[0] ?? '');
  if (parse) line = Number(parse[1]);
  const where = line ? `${path}:${line}${column ? `:${column}` : ''}` : path;
  const what = message[0]!.replace(/ - \d+:\d+$/, '').replace(/ in \[object Object\]$/, '');
  const missing = /^"([^"]+)" not defined/.exec(what);
  const unknownValue = /does not exist in the plan|is not known/.test(what);
  return new TemplateError(
    'template-error',
    `${where}: ${missing ? `the template uses "${missing[1]}", which the plan does not have` : what}${parse ? `\n${message.slice(1).join('\n')}` : ''}`,
    missing || unknownValue
      ? 'use a field that exists in the plan (see the bundled templates for the names)'
      : 'fix the template syntax at this place',
  );
}
