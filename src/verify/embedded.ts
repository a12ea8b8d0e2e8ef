import { UsageError } from '../errors.ts';
import { didYouMean } from '../manifest/suggest.ts';
import type { Protocol } from '../manifest/types.ts';
import { environmentNamed } from '../plan/environment-named.ts';
import { defaultOutDir } from '../plan/layout.ts';
import type { Plan } from '../plan/plan.ts';
import { defaultFlavor, parseFlavor, type Flavor } from '../render/flavors.ts';
import { protocolOrder, serverFor } from '../plan/protocols.ts';
import { inert } from './report/inert.ts';
import { Budget, concurrency as checkedConcurrency, seconds } from './input/limits.ts';
import { authorityHostFrom, eg, hostPort, refuseRetired, refuseUnverifiedTls, testRecipient } from './input/options.ts';
import { parseProxy, proxyFor } from './network/proxy.ts';
import { concealedError, redactor } from './report/redact.ts';
import type { CheckResult, VerifyReport } from './report/result.ts';
import { verifyEnvironment } from './run.ts';
import { checkSecretValue } from './input/secret-input.ts';
import type { Endpoint } from './input/settings.ts';

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

/** Callers from plain JavaScript get no type checks: a misspelt or mistyped option is refused, never ignored. */
function checkShape(environment: unknown, opts: Record<string, unknown>): void {
  const bad = (message: string, fix: string) => {
    throw new UsageError('bad-option', message, fix);
  };
  if (typeof environment !== 'string')
    bad('the environment must be a string', "e.g. verifyEnvironment(plan, 'test', …)");
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts))
    bad('the options must be an object', 'e.g. { secret, timeoutSeconds: 30 }');
  const known = Object.keys(optionTypes);
  for (const [key, value] of Object.entries(opts)) {
    const types = (optionTypes as Record<string, readonly string[]>)[key];
    if (!types) bad(`unknown option "${key}"`, didYouMean(key, known) ?? `the options are: ${known.join(', ')}`);
    if (value === undefined) continue;
    const type = value === null || Array.isArray(value) ? 'none' : typeof value;
    if (!types!.includes(type)) bad(`option ${key} must be a ${types!.join(' or ')}`, `see VerifyEnvironmentOptions`);
  }
  for (const [key, value] of Object.entries((opts.servers as object | undefined) ?? {})) {
    if (!(protocolOrder as readonly string[]).includes(key))
      bad(`servers has no protocol "${key}"`, didYouMean(key, protocolOrder) ?? `use ${protocolOrder.join(', ')}`);
    if (value !== undefined && typeof value !== 'string')
      bad(`servers.${key} must be a string`, eg(`servers.${key}`, 'host:993'));
  }
}

export async function verifyEmbedded(
  plan: Plan,
  environment: string,
  opts: VerifyEnvironmentOptions,
): Promise<VerifyReport> {
  checkShape(environment, opts as Record<string, unknown>);
  // Node reads process.env for this whatever `env` says: both must leave certificate checks on.
  refuseUnverifiedTls(process.env);
  if (opts.env) refuseUnverifiedTls(opts.env);
  const vars = opts.env ?? process.env;
  const env = environmentNamed(plan, environment);
  refuseRetired(env);
  const timeoutMs = seconds(String(opts.timeoutSeconds ?? 30), 'timeoutSeconds') * 1000;
  const deadlineMs =
    opts.deadlineSeconds === undefined ? undefined : seconds(String(opts.deadlineSeconds), 'deadlineSeconds') * 1000;
  const concurrency = checkedConcurrency(String(opts.concurrency ?? 4), 'concurrency');
  if (opts.proxy) parseProxy(opts.proxy, 'proxy');
  const flavor = opts.flavor === undefined ? defaultFlavor : parseFlavor(opts.flavor);
  const endpoints = Object.fromEntries(
    protocolOrder.map((p) => [p, hostPort(opts.servers?.[p], p, serverFor(plan.cloud, p), `servers.${p}`)]),
  ) as Record<Protocol, Endpoint>;
  const authorityHost = authorityHostFrom(opts.authorityHost ?? plan.cloud.authorityHost, 'authorityHost');
  const sendTestTo = opts.sendTestTo === undefined ? null : testRecipient(opts.sendTestTo, 'sendTestTo');
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
      manifest: plan.manifest.path,
      authorityHost,
      endpoints,
      budget: new Budget(timeoutMs, deadlineMs),
      concurrency,
      tokenOnly: Boolean(opts.tokenOnly),
      docsDir: opts.docsDir ?? defaultOutDir(plan.manifest.path),
      flavor,
      sendTestTo,
      secret: async () => secret,
      conceal: (v) => known.push(v),
      proxy: (host) => proxyFor(host, opts.proxy, vars),
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
