import { UsageError } from '../errors.ts';
import type { Protocol } from '../manifest/types.ts';
import { environmentNamed } from '../plan/environment-named.ts';
import { defaultOutDir } from '../plan/layout.ts';
import type { Plan } from '../plan/plan.ts';
import { protocolOrder, serverFor } from '../plan/protocols.ts';
import { inert } from './inert.ts';
import { Budget, concurrency as checkedConcurrency, seconds } from './limits.ts';
import { authorityHostFrom, hostPort, refuseUnverifiedTls, testRecipient } from './options.ts';
import { parseProxy, proxyFor } from './proxy.ts';
import { concealedError, redactor } from './redact.ts';
import type { CheckResult, VerifyReport } from './result.ts';
import { verifyEnvironment } from './run.ts';
import { checkSecretValue } from './secret-input.ts';
import type { Endpoint } from './settings.ts';

// `verify` for programs that embed the tool: the command's defaults, options instead of flags, and the same guards —
// the secret and every token redacted from the report, from each check handed over and from any error.

/** What `verifyEnvironment` is told, the library's form of `verify`'s flags (each names its flag). */
export interface VerifyEnvironmentOptions {
  /**
   * The client secret's Value (never its Secret ID), or a function that returns it: needed when the environment has
   * a client ID. It is refused, before any request, when it is a GUID or holds a line break.
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
  /** `--docs`: where the documents were generated, for the step links in diagnoses; default: beside the manifest. */
  docsDir?: string;
  /** `--proxy`: an http:// proxy for every connection; default: HTTPS_PROXY / NO_PROXY from `env`. */
  proxy?: string;
  /** The variables read for the proxy and NODE_TLS_REJECT_UNAUTHORIZED; default: process.env. */
  env?: Record<string, string | undefined>;
  /** Called with each check as soon as it is known (already redacted). */
  onCheck?: (check: CheckResult) => void;
}

export async function verifyEmbedded(
  plan: Plan,
  environment: string,
  opts: VerifyEnvironmentOptions,
): Promise<VerifyReport> {
  const vars = opts.env ?? process.env;
  refuseUnverifiedTls(vars);
  const env = environmentNamed(plan, environment);
  if (env.retired)
    throw new UsageError(
      'environment-retired',
      `environment "${env.name}" has state: absent (retired): there is no setup to verify`,
      `follow ${env.name}/decommission.md, whose last step checks that nothing is left`,
    );
  const timeoutMs = seconds(String(opts.timeoutSeconds ?? 30), 'timeoutSeconds') * 1000;
  const deadlineMs =
    opts.deadlineSeconds === undefined ? undefined : seconds(String(opts.deadlineSeconds), 'deadlineSeconds') * 1000;
  const concurrency = checkedConcurrency(String(opts.concurrency ?? 4));
  if (opts.proxy !== undefined) parseProxy(opts.proxy);
  const endpoints = Object.fromEntries(
    protocolOrder.map((p) => [p, hostPort(opts.servers?.[p], p, serverFor(plan.cloud, p))]),
  ) as Record<Protocol, Endpoint>;

  const known: string[] = [];
  const redact = redactor(() => known);
  try {
    let secret = '';
    if (env.app.clientId) {
      const given = typeof opts.secret === 'function' ? await opts.secret() : opts.secret;
      if (typeof given !== 'string' || !given.trim())
        throw new UsageError(
          'no-secret',
          `no client secret for environment "${env.name}"`,
          'pass the secret Value as options.secret (a string, or a function that returns it)',
        );
      secret = checkSecretValue(given.trim(), 'options.secret');
      known.push(secret);
    }
    const report = await verifyEnvironment(plan, env, {
      manifest: plan.manifest.path,
      authorityHost: authorityHostFrom(opts.authorityHost ?? plan.cloud.authorityHost),
      endpoints,
      budget: new Budget(timeoutMs, deadlineMs),
      concurrency,
      tokenOnly: Boolean(opts.tokenOnly),
      docsDir: opts.docsDir ?? defaultOutDir(plan.manifest.path),
      sendTestTo: opts.sendTestTo === undefined ? null : testRecipient(opts.sendTestTo),
      secret: async () => secret,
      conceal: (v) => known.push(v),
      proxy: (host) => proxyFor(host, opts.proxy, vars),
      now: () => new Date(),
      progress: { check: (c) => opts.onCheck?.(inert(c, redact)), working: () => {} },
    });
    return inert(report, redact);
  } catch (e) {
    throw e instanceof UsageError ? e : concealedError(e, redact);
  }
}
