import { Language, Parser, type Node } from 'web-tree-sitter';
import { join } from 'node:path';
import { root } from './cli.ts';

let parser: Parser | undefined;

/** The real PowerShell grammar (tree-sitter-powershell, compiled to wasm); no pwsh needed. */
export async function powershellParser(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const lang = await Language.load(join(root, 'node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm'));
  parser = new Parser();
  parser.setLanguage(lang);
  return parser;
}

export interface PsShape {
  errors: string[];
  commands: string[];
  strings: string[];
  /** Commands that change Exchange (New-, Add-, Set-, Remove-) not guarded by $PSCmdlet.ShouldProcess. */
  unguarded: string[];
}

const changes = /^(New|Add|Set|Remove)-(?!StrictMode$)/;

/**
 * True when the node runs only in the branch of an if/elseif whose condition tests $PSCmdlet.ShouldProcess, or inside
 * a script block handed to one of the script's guard functions (`guards`: functions that run their -Do block only there).
 */
function guarded(n: Node, guards: ReadonlySet<string> = new Set()): boolean {
  let from: Node = n;
  for (let p = n.parent; p; from = p, p = p.parent) {
    if ((p.type === 'if_statement' || p.type === 'elseif_clause') && from.type === 'statement_block') {
      const condition = p.childForFieldName('condition');
      if (condition && /\$PSCmdlet\.ShouldProcess\(/i.test(condition.text)) return true;
    }
    if (p.type === 'command' && guards.has(p.childForFieldName('command_name')?.text ?? '')) return true;
  }
  return false;
}

/** The script's functions that invoke their `$Do` script block only under a ShouldProcess guard (Invoke-Change). */
function guardFunctions(root: Node): Set<string> {
  const out = new Set<string>();
  for (const f of root.descendantsOfType('function_statement')) {
    const name = f?.descendantsOfType('function_name')[0]?.text;
    const calls = (f?.descendantsOfType('command') ?? []).filter((c) => /^&\s*\$Do\b/.test(c?.text ?? ''));
    if (name && calls.length > 0 && calls.every((c) => c && guarded(c))) out.add(name);
  }
  return out;
}

/** Syntax errors, the command names invoked, and the contents of every verbatim (single-quoted) string. */
export async function inspectPowerShell(source: string): Promise<PsShape> {
  source = source.replace(/^\ufeff/, ''); // the byte-order mark of a .ps1 file is its encoding, not its text
  const tree = (await powershellParser()).parse(source)!;
  const shape: PsShape = { errors: [], commands: [], strings: [], unguarded: [] };
  const guards = guardFunctions(tree.rootNode);
  const visit = (n: Node) => {
    if (n.type === 'ERROR' || n.isMissing)
      shape.errors.push(
        `${n.type} at ${n.startPosition.row + 1}:${n.startPosition.column + 1}: ${n.text.slice(0, 60)}`,
      );
    if (n.type === 'command') {
      const name = n.childForFieldName('command_name');
      if (name) shape.commands.push(name.text);
      if (name && changes.test(name.text) && !guarded(n, guards))
        shape.unguarded.push(`${name.text} at line ${n.startPosition.row + 1}`);
    }
    if (
      n.type === 'string_literal' &&
      n.text.startsWith("'") === false &&
      /^[\u2018\u2019\u201A\u201B]/.test(n.text) === false
    ) {
      // expandable (double-quoted) strings: recorded with a marker so tests can see none carries a manifest value
      shape.strings.push(`"${n.text}`);
    } else if (n.type === 'string_literal') {
      shape.strings.push(unquote(n.text));
    }
    for (const c of n.children) if (c) visit(c);
  };
  visit(tree.rootNode);
  // The script's own helper functions (Add-Result) change nothing in Exchange.
  const own = new Set(tree.rootNode.descendantsOfType('function_name').map((f) => f?.text));
  shape.unguarded = shape.unguarded.filter((u) => !own.has(u.split(' ')[0]!));
  tree.delete();
  return shape;
}

/** The value of a single-quoted literal: quotes of any of the four kinds, doubled, stand for one. */
function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1');
}
