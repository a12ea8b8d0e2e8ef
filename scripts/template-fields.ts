// Generates, from the plan's TypeScript types, the fields a template can use: src/render/template-fields.ts (the
// shape the template checker walks) and docs/template-fields.md (the reference for template authors). Both are
// committed; test/templates.test.ts fails when either differs from what this produces, so neither can drift.
//   npx tsx scripts/template-fields.ts          (writes both files)
import ts from 'typescript';
import type { FieldShape, TemplateFields } from '../src/render/check-template.ts';
import { documents, files, type DocumentRow } from '../src/plan/documents.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const contextFile = join(root, 'src/render/template-context.ts');

/** The shapes of the two template contexts: an environment's documents, and the index. */
export function templateShapes(): TemplateFields {
  const program = ts.createProgram([contextFile], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(contextFile)!;
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
  const typeOf = (name: string) => checker.getDeclaredTypeOfSymbol(exported.find((s) => s.name === name)!);

  const defs: Record<string, FieldShape> = {};
  const named = new Set(['Plan', 'EnvironmentPlan', 'MailboxPlan', 'Step', 'TroubleshootingRow', 'Permission']);
  const shape = (type: ts.Type, depth: number, doc?: string): FieldShape => {
    const withDoc = <S extends FieldShape>(s: S): S => (doc ? { ...s, doc } : s);
    const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
    if (name && named.has(name) && depth > 0) {
      if (!defs[name]) {
        defs[name] = { kind: 'value', type: name }; // placeholder while the type is walked (recursion)
        defs[name] = shape(type, 0);
      }
      return withDoc({ kind: 'ref', name });
    }
    const nonNull = type.isUnion()
      ? type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)))
      : [type];
    const nullable = nonNull.length !== (type.isUnion() ? type.types.length : 1);
    const single = nonNull.length === 1 ? nonNull[0]! : undefined;
    if (single && checker.isArrayType(single))
      return withDoc({ kind: 'list', of: shape(checker.getTypeArguments(single as ts.TypeReference)[0]!, depth + 1) });
    const isPlainObject =
      single &&
      single.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection) &&
      !checker.getSignaturesOfType(single, ts.SignatureKind.Call).length;
    if (isPlainObject && depth < 8) {
      const fields: Record<string, FieldShape> = {};
      for (const prop of checker.getPropertiesOfType(single)) {
        const decl = prop.valueDeclaration ?? prop.declarations?.[0];
        const propType = decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
        const text = ts.displayPartsToString(prop.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
        fields[prop.name] = shape(propType, depth + 1, text || undefined);
      }
      return withDoc({ kind: 'object', fields });
    }
    const members = type.isUnion() ? type.types : [type];
    const text = members
      .map((t) =>
        checker.typeToString(
          t,
          undefined,
          ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType,
        ),
      )
      .join(' | ');
    return withDoc({ kind: 'value', type: text.replace(/\bfalse \| true\b/, 'boolean') });
  };
  const document = shape(typeOf('DocumentContext'), 0);
  const index = shape(typeOf('IndexContext'), 0);
  return { defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))), document, index };
}

/** The Markdown reference: every field a path can name, with its type and description. */
export function referenceMarkdown(shapes: TemplateFields): string {
  const rows: string[] = [];
  const kind = (f: FieldShape): string =>
    f.kind === 'object'
      ? 'object'
      : f.kind === 'ref'
        ? `[${f.name}](#${f.name.toLowerCase()})`
        : f.kind === 'list'
          ? `list of ${kind(f.of)}`
          : f.type;
  const walk = (s: FieldShape, path: string): void => {
    if (s.kind === 'object') {
      for (const [name, f] of Object.entries(s.fields)) {
        const p = path ? `${path}.${/^[A-Za-z_$][\w$]*$/.test(name) ? name : `[${name}]`}` : name;
        const type = kind(f);
        rows.push(`| \`${p}\` | ${type.replace(/\|/g, '\\|')} | ${(f.doc ?? '').replace(/\|/g, '\\|')} |`);
        walk(f, p);
      }
    } else if (s.kind === 'list') {
      walk(s.of, `${path}.[i]`);
    }
  };
  const table = (s: FieldShape) => {
    rows.length = 0;
    walk(s, '');
    return ['| path | type | meaning |', '| --- | --- | --- |', ...rows].join('\n');
  };
  return `# Fields templates can use

Generated from the plan's TypeScript types by \`scripts/template-fields.ts\` (do not edit; \`npx tsx
scripts/template-fields.ts\` rewrites it, and a test fails when it is stale). Every value reaches a document through
an escaping helper: \`{{md …}}\` (Markdown text), \`{{code …}}\` / \`{{cellCode …}}\` (code spans, in table cells),
\`{{href …}}\` (link targets), \`{{sh …}}\` (a shell word), \`{{runHere file}}\` (a code span \`.\\file\`),
\`{{ps …}}\` / \`{{psArray …}}\` / \`{{psComment …}}\` (PowerShell), \`{{stepLink step [file]}}\` and
\`{{stepNumber step}}\`. A bare \`{{value}}\` is refused. Values
that may be unknown are \`null\`: test them with \`{{#if …}}\` first. \`[i]\` stands for an element inside
\`{{#each …}}\`, where paths are relative to it (\`{{md address}}\`) and \`@root.\` reaches the top.

## Environment documents

${listed(documents.filter((d) => d.scope !== 'top'))} and the partials.

${table(shapes.document)}

## The index

${listed(documents.filter((d) => d.scope === 'top'))} (the output folder's \`${files.index}\`).

${table(shapes.index)}
${Object.entries(shapes.defs)
  .map(([name, def]) => `\n## ${name}\n\n${table(def)}\n`)
  .join('')}`;
}

/** The bundled templates of these documents, as code spans. */
const listed = (docs: readonly DocumentRow[]): string =>
  docs.flatMap((d) => (d.template ? [`\`${d.template}\``] : [])).join(', ');

export const shapesModule = (shapes: TemplateFields): string =>
  `// Generated by scripts/template-fields.ts from the plan's types; do not edit (test/templates.test.ts checks it).\nimport type { TemplateFields } from './check-template.ts';\n\nexport const templateFields: TemplateFields = ${oneFieldPerLine(shapes)};\n`;

/** JSON with each field on a line of its own, so that a stale check's diff shows the fields that changed. */
function oneFieldPerLine(value: unknown, indent = ''): string {
  if (typeof value !== 'object' || value === null || isLeaf(value as FieldShape)) return JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${oneFieldPerLine(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

const isLeaf = (s: FieldShape): boolean =>
  s.kind === 'value' || s.kind === 'ref' || (s.kind === 'list' && isLeaf(s.of));

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const shapes = templateShapes();
  writeFileSync(join(root, 'src/render/template-fields.ts'), shapesModule(shapes));
  writeFileSync(join(root, 'docs/template-fields.md'), referenceMarkdown(shapes));
}
