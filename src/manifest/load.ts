import type { ValidateFunction } from 'ajv';
import { lineIndex } from './line-index.ts';
import { loadValidator } from './load-validator.ts';
import { byPosition, hasErrors, type Diagnostic } from './diagnostic.ts';
import { parseYaml, position, type ParsedYaml } from './parse.ts';
import { readManifestText } from './read.ts';
import { checkRules } from './rules.ts';
import { findSecretFragments, findSecretValues, maskSecrets, maskSecretScalars, type SecretHit } from './secrets.ts';
import { checkText } from './text-rules.ts';
import { checkPlaceholders, notAtPlaceholder } from './placeholders.ts';
import type { Manifest } from './types.ts';
import { validateSchema } from './validate-schema.ts';
import { mailboxUses, sharedMailboxDiagnostics } from './shared-mailboxes.ts';

export interface Loaded {
  /** Set only when there are no errors. */
  manifest?: Manifest;
  diagnostics: Diagnostic[];
  /** The source with secret-like values masked: safe to quote in excerpts. */
  source?: string;
  parsed?: ParsedYaml;
  /** The manifest when it passed the schema, even if a rule found errors: checks across manifests use it. */
  checked?: Manifest;
}

/** read → mask secrets → parse with positions → schema → rules. Collects every problem; throws only on bugs. */
export async function loadManifest(path: string, opts: { shownAs?: string; today: string }): Promise<Loaded> {
  const file = opts.shownAs ?? path;
  const read = await readManifestText(path, file);
  if (!read.ok) return { diagnostics: [read.diagnostic] };
  return checkManifestText(file, read.text, opts.today, await loadValidator());
}

export function checkManifestText(file: string, text: string, today: string, validate: ValidateFunction): Loaded {
  const hits = findSecretValues(text);
  // Everything downstream sees the masked text, so no diagnostic or excerpt can echo a secret value.
  let source = maskSecrets(text, hits);
  // Secrets the text hides (YAML escapes, folding) show in the parsed values: masked there too, before anything reads them.
  const escaped: SecretHit[] = [];
  const lines = parseYaml(file, source, (doc) => escaped.push(...maskSecretScalars(doc)));
  if (escaped.length) source = maskSecrets(source, escaped);
  source = maskSecrets(source, findSecretFragments(source)); // for excerpts: parts of secrets a syntax error left unparsed
  const diagnostics: Diagnostic[] = [...lines.diagnostics];
  const secretDiagnostics = (toPos: (o: number) => { line: number; column: number }) =>
    [...hits, ...escaped].map((h): Diagnostic => ({
      file,
      ...toPos(h.offset),
      offset: h.offset,
      length: h.length,
      severity: 'error',
      code: 'secret-value-in-manifest',
      message: 'this looks like a client secret value (not shown); a manifest must never hold one',
      fix: 'delete it here, keep it in a secret store, and name the environment variable that holds it in app.secret.env; if this file was shared, create a new secret and delete this one',
    }));
  if (!lines.parsed) {
    diagnostics.push(...secretDiagnostics(lineIndex(source)));
    return { diagnostics: diagnostics.sort(byPosition), source };
  }
  const parsed = lines.parsed;
  diagnostics.push(...secretDiagnostics((o) => position(parsed.lines, o)));
  diagnostics.push(...checkText(parsed, lines.value));
  const placeholders = checkPlaceholders(parsed, lines.value);
  const schemaProblems = [
    ...placeholders,
    ...validateSchema(parsed, lines.value, validate).filter(notAtPlaceholder(placeholders)),
  ];
  diagnostics.push(...schemaProblems);
  const ruled = ruleCheckable(lines.value, schemaProblems);
  if (ruled) diagnostics.push(...checkRules(parsed, ruled, today));
  diagnostics.sort(byPosition);
  const checked = schemaProblems.length === 0 ? (lines.value as Manifest) : undefined;
  return {
    diagnostics,
    source,
    parsed,
    ...(checked ? { checked } : {}),
    ...(hasErrors(diagnostics) ? {} : { manifest: lines.value as Manifest }),
  };
}

/**
 * The part of the manifest the rules can check: all of it when the schema found nothing; with schema problems only
 * inside some environments, the manifest without those (so a fix does not take two rounds: schema, then rules);
 * nothing when a problem is elsewhere (tenant, bizagi, the shape of environments), which the rules build on.
 */
function ruleCheckable(value: unknown, problems: Diagnostic[]): Manifest | undefined {
  if (problems.length === 0) return value as Manifest;
  const broken = new Set<string>();
  for (const p of problems) {
    if (p.path?.[0] !== 'environments' || typeof p.path[1] !== 'string') return undefined;
    broken.add(p.path[1]);
  }
  const m = value as Manifest;
  return { ...m, environments: Object.fromEntries(Object.entries(m.environments).filter(([n]) => !broken.has(n))) };
}

/**
 * Rules between manifests given to one run (one mailbox per project): adds their diagnostics to the manifests
 * concerned, and takes the manifest away from one that now has an error, as for its own errors.
 */
export function checkAcrossManifests(loaded: Loaded[]): void {
  const seen = new Set<string>();
  const uses = loaded.flatMap((l) => {
    if (!l.checked || !l.parsed || seen.has(l.parsed.file)) return [];
    seen.add(l.parsed.file);
    return mailboxUses(l.parsed, l.checked);
  });
  for (const d of sharedMailboxDiagnostics(uses, { acrossFiles: true })) {
    const target = loaded.find((l) => l.parsed?.file === d.file)!;
    target.diagnostics.push(d);
    target.diagnostics.sort(byPosition);
    if (hasErrors(target.diagnostics)) delete target.manifest;
  }
}
