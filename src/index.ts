// The library API, for programs that embed mail-oauth-runbook (a Backstage plugin, a custom portal). It is the CLI's
// own core: the same checks, plan and templates, without printing anything or touching files beyond what is read.
import { resolve } from 'node:path';
import { UsageError } from './errors.ts';
import { argument, isDate, isObject, isPlan, isString, options } from './library-input.ts';
import { hasErrors, type Diagnostic } from './manifest/diagnostic.ts';
import { checkManifestText, loadManifest as loadManifestFile } from './manifest/load.ts';
import { loadValidator } from './manifest/load-validator.ts';
import { precompiledValidator } from './manifest/precompiled-validator.ts';
import type { Manifest } from './manifest/types.ts';
import { buildPlan as buildPlanFromManifest, type Plan } from './plan/plan.ts';
import { flavors, type Flavor } from './render/flavors.ts';
import { loadRenderer } from './render/load-renderer.ts';
import { renderAll } from './render/render.ts';
import { toolVersion } from './version.ts';
import type { VerifyEnvironmentOptions } from './verify/embedded.ts';
import type { VerifyReport } from './verify/report/result.ts';

export type { Diagnostic, Severity } from './manifest/diagnostic.ts';
export type { Manifest } from './manifest/types.ts';
export type { Plan, EnvironmentPlan, MailboxPlan } from './plan/plan.ts';
export type { CheckResult, Diagnosed, Status, StepRef, VerifyReport } from './verify/report/result.ts';
export type { VerifyEnvironmentOptions } from './verify/embedded.ts';
export { UsageError } from './errors.ts';

/** The version of mail-oauth-runbook. */
export const version: string = toolVersion;

/** A manifest checked against the schema and the rules: `manifest` is set only when no diagnostic is an error. */
export interface CheckedManifest {
  manifest?: Manifest;
  diagnostics: Diagnostic[];
  valid: boolean;
}

export interface CheckOptions {
  /** Today's date (YYYY-MM-DD), for secret-expiry checks; default: today in UTC. */
  today?: string;
}

const todayUtc = () => new Date().toISOString().slice(0, 10);
const todayOf = (fn: string, opts: unknown, names: string[]): string => {
  const o = options(fn, opts, names);
  return o.today === undefined ? todayUtc() : argument(fn, 'options.today', o.today, 'a date, YYYY-MM-DD', isDate);
};
const checked = (r: { manifest?: Manifest; diagnostics: Diagnostic[] }): CheckedManifest => ({
  manifest: r.manifest,
  diagnostics: r.diagnostics.map(({ offset: _o, length: _l, ...d }) => d),
  valid: !hasErrors(r.diagnostics),
});

/**
 * Reads and checks a manifest file (what `validate` does), collecting every diagnostic: a bad manifest is never
 * thrown. Throws a UsageError (code `bad-argument`, `unknown-option`) only for a wrong argument.
 */
export async function loadManifest(path: string, opts: CheckOptions = {}): Promise<CheckedManifest> {
  const today = todayOf('loadManifest', opts, ['today']);
  argument('loadManifest', 'the path', path, "a manifest file's path (a string)", isString);
  return checked(await loadManifestFile(resolve(path), { shownAs: path, today }));
}

/** Checks manifest text held in memory (from a form, a repository API); `file` names it in diagnostics. */
export async function checkManifest(
  text: string,
  opts: CheckOptions & { file?: string } = {},
): Promise<CheckedManifest> {
  const today = todayOf('checkManifest', opts, ['today', 'file']);
  argument('checkManifest', 'the text', text, "a manifest's YAML text (a string)", (v) => typeof v === 'string');
  const file = opts.file ?? 'manifest.yaml';
  argument('checkManifest', 'options.file', file, 'a file name (a string)', isString);
  return checked(checkManifestText(file, text, today, await loadValidator()));
}

/**
 * The plan: every value the documents, the script and verify use. `source` is the manifest's file name shown in
 * documents; `repositoryPath`, the manifest's path from the top of its repository, is what the documents' commands
 * name (as `generate` does; default: `source`, to be run in the manifest's folder).
 */
export function buildPlan(manifest: Manifest, source = 'manifest.yaml', opts: { repositoryPath?: string } = {}): Plan {
  const fn = 'buildPlan';
  const o = options(fn, opts, ['repositoryPath']);
  const notChecked = () =>
    new UsageError(
      'invalid-manifest',
      `${fn}: the manifest does not pass the schema`,
      'pass the manifest that checkManifest or loadManifest returned with valid: true',
    );
  argument(fn, 'the manifest', manifest, 'the manifest checkManifest or loadManifest returned', isObject);
  argument(fn, 'the source', source, 'a file name (a string)', isString);
  if (o.repositoryPath !== undefined) argument(fn, 'options.repositoryPath', o.repositoryPath, 'a path', isString);
  // The built library has the schema's validator at hand (synchronously); a shape that slips past still fails typed.
  if (precompiledValidator && !precompiledValidator(manifest)) throw notChecked();
  try {
    return buildPlanFromManifest(
      manifest,
      source,
      opts.repositoryPath ? { path: opts.repositoryPath, inRepository: true } : undefined,
    );
  } catch (e) {
    if (e instanceof TypeError) throw notChecked();
    throw e;
  }
}

export interface RenderOptions {
  /** A folder whose .hbs files override the bundled templates of the same name (as `generate --templates`). */
  templates?: string;
  /** Only these environments (as `generate --env`); default: all. Each must be one of the plan's. */
  environments?: string[];
  /** The Markdown flavour (as `generate --flavor`): github (default), azure-devops or portable. */
  flavor?: Flavor;
}

/**
 * Renders the documents `generate` writes, as relative path → text (`README.md`, `<env>/runbook.md`, …), in a stable
 * order. Throws a UsageError: code `template-error` for a template mistake; `bad-argument` or `unknown-option` for a
 * plan that is not one, an environment not in the plan, an unknown flavour or option.
 */
export async function renderDocuments(plan: Plan, opts: RenderOptions = {}): Promise<Map<string, string>> {
  const fn = 'renderDocuments';
  argument(fn, 'the plan', plan, 'the plan buildPlan returned', isPlan);
  const o = options(fn, opts, ['templates', 'environments', 'flavor']);
  const names = plan.environments.map((e) => e.name);
  if (o.templates !== undefined) argument(fn, 'options.templates', o.templates, 'a folder path (a string)', isString);
  if (o.environments !== undefined)
    argument(
      fn,
      'options.environments',
      o.environments,
      `a list of the plan's environments (${names.join(', ')})`,
      (v) => Array.isArray(v) && v.every((n) => names.includes(n as string)),
    );
  if (o.flavor !== undefined)
    argument(fn, 'options.flavor', o.flavor, `one of ${flavors.join(', ')}`, (v) => flavors.includes(v as Flavor));
  const render = await loadRenderer(opts.templates && resolve(opts.templates), opts.templates, undefined, opts.flavor);
  return new Map(renderAll(plan, render, opts.environments && new Set(opts.environments)));
}

/**
 * Proves one environment's setup, as `verify --env <environment>` does: a token requested as Bizagi does, its claims,
 * a login to every mailbox over each of its protocols. Resolves with the report (`result` is 'pass' or 'fail', each
 * check names the runbook step to redo); never contains the secret or a token. Throws a UsageError for a wrong
 * option, an unknown or retired environment, or a missing secret, before any request. Its network packages are
 * loaded only when this is first called.
 */
export async function verifyEnvironment(
  plan: Plan,
  environment: string,
  options: VerifyEnvironmentOptions = {},
): Promise<VerifyReport> {
  const { verifyEmbedded } = await import('./verify/embedded.ts');
  return verifyEmbedded(plan, environment, options);
}
