// The library API, for programs that embed mail-oauth-runbook (a Backstage plugin, a custom portal). It is the CLI's
// own core: the same checks, plan and templates, without printing anything or touching files beyond what is read.
import { resolve } from 'node:path';
import { hasErrors, type Diagnostic } from './manifest/diagnostic.ts';
import { checkManifestText, loadManifest as loadManifestFile } from './manifest/load.ts';
import { loadValidator } from './manifest/load-validator.ts';
import type { Manifest } from './manifest/types.ts';
import { buildPlan as buildPlanFromManifest, type Plan } from './plan/plan.ts';
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
const checked = (r: { manifest?: Manifest; diagnostics: Diagnostic[] }): CheckedManifest => ({
  manifest: r.manifest,
  diagnostics: r.diagnostics.map(({ offset: _o, length: _l, ...d }) => d),
  valid: !hasErrors(r.diagnostics),
});

/** Reads and checks a manifest file (what `validate` does), collecting every diagnostic. Never throws for bad input. */
export async function loadManifest(path: string, opts: CheckOptions = {}): Promise<CheckedManifest> {
  return checked(await loadManifestFile(resolve(path), { shownAs: path, today: opts.today ?? todayUtc() }));
}

/** Checks manifest text held in memory (from a form, a repository API); `file` names it in diagnostics. */
export async function checkManifest(
  text: string,
  opts: CheckOptions & { file?: string } = {},
): Promise<CheckedManifest> {
  return checked(
    checkManifestText(opts.file ?? 'manifest.yaml', text, opts.today ?? todayUtc(), await loadValidator()),
  );
}

/**
 * The plan: every value the documents, the script and verify use. `source` is the manifest's file name shown in
 * documents; `repositoryPath`, the manifest's path from the top of its repository, is what the documents' commands
 * name (as `generate` does; default: `source`, to be run in the manifest's folder).
 */
export function buildPlan(manifest: Manifest, source = 'manifest.yaml', opts: { repositoryPath?: string } = {}): Plan {
  return buildPlanFromManifest(
    manifest,
    source,
    opts.repositoryPath ? { path: opts.repositoryPath, inRepository: true } : undefined,
  );
}

export interface RenderOptions {
  /** A folder whose .hbs files override the bundled templates of the same name (as `generate --templates`). */
  templates?: string;
  /** Only these environments (as `generate --env`); default: all. */
  environments?: string[];
}

/**
 * Renders the documents `generate` writes, as relative path → text (`README.md`, `<env>/runbook.md`, …), in a stable
 * order. Throws a UsageError (code `template-error`) for a template mistake.
 */
export async function renderDocuments(plan: Plan, opts: RenderOptions = {}): Promise<Map<string, string>> {
  const render = await loadRenderer(opts.templates && resolve(opts.templates), opts.templates);
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
