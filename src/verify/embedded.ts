import { UsageError } from '../errors.ts';
import { didYouMean } from '../manifest/suggest.ts';
import type { Protocol } from '../manifest/types.ts';
import { defaultOutDir } from '../plan/layout.ts';
import type { EnvironmentPlan, Plan } from '../plan/plan.ts';
import { defaultFlavor, type Flavor } from '../plan/anchors.ts';
import { protocolOrder } from '../plan/protocols.ts';
import { inert } from './report/inert.ts';
import { eg, libraryNames, refuseRetired, refuseUnverifiedTls } from './input/options.ts';
import { resolveSettings } from './input/resolve-settings.ts';
import { concealedError, redactor } from './report/redact.ts';
import type { CheckResult, VerifyReport } from './report/result.ts';
import { verifyEnvironment } from './run.ts';
import { checkSecretValue } from './input/secret-input.ts';

// `verify` for programs that embed the tool: the command's defaults, options instead of flags, and the same guards —
// the secret and every token redacted from the report, from each check handed over and from any error.

/** What `verifyEnvironment` is told, the library's form of `verify`'s flags (each names its flag). */
export interface VerifyEnvironmentOptions {
  /**
   * The client secret's Value (never its Secret ID), or a function that returns it: needed when the environment has
   * a client ID (unlike the command, the library never reads `app.secret.env` itself). It is asked for once every
   * other option is checked, and refused, before any request, when it is a GUID, shorter than 16 characters or holds
   * a line break.
   */
  secret?: string | (() => string | Promise<string>);
  /** `--authority-host`: https://host[:port] of the sign-in service; default: the manifest's cloud's. */
  authorityHost?: string;
  /** `--imap` / `--pop` / `--smtp`: host:port to log in to instead of the cloud's. */
  servers?: Partial<Record<Protocol, string>>;
  /** `--timeout`: wall-clock seconds for the token request and for each login; default 30. */
  timeoutSeconds?: number;
  /** `--deadline`: wall-clock seconds for the whole run; default: none. */
  deadlineSeconds?: number;
  /** `--concurrency`: logins at once, 1–64; default 4. */
  concurrency?: number;
  /** `--token-only`: check the token and its claims, skip the logins. */
  tokenOnly?: boolean;
  /** `--send-test-to`: also send one labelled message from each SMTP mailbox and each sendAs address here. */
  sendTestTo?: string;
  /**
   * `--docs`: where the documents were generated, for the step links in diagnoses; default: the folder `generate`
   * writes beside the manifest (the config file's `out` is not read).
   */
  docsDir?: string;
  /** `--flavor`: the Markdown flavour the documents were generated in (it decides the step anchors); default github. */
  flavor?: Flavor;
  /** `--proxy`: an http:// proxy for every connection ('' for none); default: HTTPS_PROXY / NO_PROXY from `env`. */
  proxy?: string;
  /** Where HTTPS_PROXY / NO_PROXY are read; default: process.env. (NODE_TLS_REJECT_UNAUTHORIZED=0 is refused in both.) */
  env?: Record<string, string | undefined>;
  /**
   * Called with each check as soon as it is known (already redacted). It may be async: verifyEnvironment waits for
   * it, and rejects with what it threw or rejected with once the run is over.
   */
  onCheck?: (check: CheckResult) => void;
}

const optionTypes = {
  secret: ['string', 'function'],
  authorityHost: ['string'],
  servers: ['object'],
  timeoutSeconds: ['number'],
  deadlineSeconds: ['number'],
  concurrency: ['number'],
  tokenOnly: ['boolean'],
  sendTestTo: ['string'],
  docsDir: ['string'],
  flavor: ['string'],
  proxy: ['string'],
  env: ['object'],
  onCheck: ['function'],
} as const satisfies Record<keyof VerifyEnvironmentOptions, readonly string[]>;

/**
 * Callers from plain JavaScript get no type checks: a misspelt or mistyped option is refused, never ignored. No
 * message repeats what the caller passed (a secret put in the wrong place would land in their logs): each names the
 * option and what it expects.
 */
function checkShape(plan: unknown, environment: unknown, opts: Record<string, unknown>): void {
  const bad = (message: string, fix: string) => {
    throw new UsageError('bad-option', message, fix);
  };
  const p = plan as Partial<Plan> | null;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.environments) || typeof p.cloud !== 'object')
    throw new UsageError(
      'bad-plan',
      'the plan must be the one buildPlan returns',
      "e.g. verifyEnvironment(buildPlan(await loadManifest('runbooks/contoso-hr.yaml')), 'test', …)",
    );
  if (typeof environment !== 'string')
    bad('the environment must be a string', "e.g. verifyEnvironment(plan, 'test', …)");
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts))
    bad('the options must be an object', 'e.g. { secret, timeoutSeconds: 30 }');
  const known = Object.keys(optionTypes);
  const notShown = '(its name is not shown: it could be a value put in the wrong place)';
  for (const [key, value] of Object.entries(opts)) {
    const types = (optionTypes as Record<string, readonly string[]>)[key];
    if (!types)
      bad(`an option is unknown ${notShown}`, didYouMean(key, known) ?? `the options are: ${known.join(', ')}`);
    if (value === undefined) continue;
    const type = value === null || Array.isArray(value) ? 'none' : typeof value;
    if (!types!.includes(type)) bad(`option ${key} must be a ${types!.join(' or ')}`, `see VerifyEnvironmentOptions`);
  }
  for (const [key, value] of Object.entries((opts.servers as object | undefined) ?? {})) {
    if (!(protocolOrder as readonly string[]).includes(key))
      bad(
        `servers names a protocol that is not one ${notShown}`,
        didYouMean(key, protocolOrder) ?? `use ${protocolOrder.join(', ')}`,
      );
    if (value !== undefined && typeof value !== 'string')
      bad(`servers.${key} must be a string`, eg(`servers.${key}`, 'host:993'));
  }
}

/** The environment of that name; the name is not repeated when there is none (it could be a misplaced secret). */
function environmentOf(plan: Plan, name: string): EnvironmentPlan {
  const env = plan.environments.find((e) => e.name === name);
  if (env) return env;
  const names = plan.environments.map((e) => e.name);
  throw new UsageError(
    'unknown-environment',
    `the manifest has no environment of that name (it has: ${names.join(', ')})`,
    didYouMean(name, names) ?? `use one of: ${names.join(', ')}`,
  );
}

export async function verifyEmbedded(
  plan: Plan,
  environment: string,
  opts: VerifyEnvironmentOptions,
): Promise<VerifyReport> {
  checkShape(plan, environment, opts as Record<string, unknown>);
  // Node reads process.env for this whatever `env` says: both must leave certificate checks on.
  refuseUnverifiedTls(process.env);
  const env = environmentOf(plan, environment);
  refuseRetired(env);
  const common = resolveSettings(
    plan,
    {
      ...opts,
      timeout: opts.timeoutSeconds ?? 30,
      deadline: opts.deadlineSeconds,
      concurrency: opts.concurrency ?? 4,
      servers: opts.servers ?? {},
      env: opts.env ?? process.env,
    },
    libraryNames,
  );
  const secret = env.app.clientId ? await secretOf(env.name, opts.secret) : '';

  const known = [secret];
  const redact = redactor(() => known);
  // onCheck is the caller's code: what it throws or rejects with is theirs, handed back unchanged after the run.
  // Each outcome is caught as it happens: a rejection left waiting until the end would end the host process first.
  const failures: Promise<{ error: unknown } | null>[] = [];
  const onCheck = (c: CheckResult) => {
    try {
      const r: unknown = opts.onCheck?.(inert(c, redact));
      if (r instanceof Promise)
        failures.push(
          r.then(
            () => null,
            (error: unknown) => ({ error }),
          ),
        );
    } catch (error) {
      failures.push(Promise.resolve({ error }));
    }
  };
  let report: VerifyReport;
  try {
    report = await verifyEnvironment(plan, env, {
      ...common,
      manifest: plan.manifest.path,
      budget: common.budget(),
      docsDir: opts.docsDir ?? defaultOutDir(plan.manifest.path),
      flavor: common.flavor ?? defaultFlavor,
      secret: async () => secret,
      conceal: (v) => known.push(v),
      now: () => new Date(),
      progress: { check: onCheck, working: () => {} },
    });
  } catch (e) {
    throw e instanceof UsageError ? e : concealedError(e, redact);
  }
  const failed = (await Promise.all(failures)).find((f) => f !== null);
  if (failed) throw failed.error;
  return inert(report, redact);
}

/** The secret, checked as the command checks one; an error from the caller's function is not shown (it may hold it). */
async function secretOf(environment: string, given: VerifyEnvironmentOptions['secret']): Promise<string> {
  let value: unknown;
  try {
    value = typeof given === 'function' ? await given() : given;
  } catch {
    throw new UsageError(
      'no-secret',
      `options.secret failed for environment "${environment}" (its error is not shown: it could hold the secret)`,
      'make the function return the secret Value, or pass the Value itself',
    );
  }
  if (typeof value !== 'string' || !value.trim())
    throw new UsageError(
      'no-secret',
      `no client secret for environment "${environment}"`,
      'pass the secret Value as options.secret (a string, or a function that returns it)',
    );
  return checkSecretValue(value.trim(), 'options.secret');
}
