import type { Io } from '../io.ts';
import { UsageError } from '../errors.ts';
import type { Protocol } from '../manifest/types.ts';
import { configFor } from '../config/load-config.ts';
import { outDirFor } from '../plan/layout.ts';
import { defaultFlavor, parseFlavor } from '../render/flavors.ts';
import type { EnvironmentPlan, Plan } from '../plan/plan.ts';
import { protocolOrder, serverFor } from '../plan/protocols.ts';
import type { Trace } from '../verify/mail/login-result.ts';
import { parseProxy, proxyFor } from '../verify/proxy.ts';
import { withoutSasl } from '../verify/redact.ts';
import { readSecret } from '../verify/secret-input.ts';
import { neutralise } from '../verify/inert.ts';
import { Budget, concurrency as concurrencyFlag, seconds } from '../verify/limits.ts';
import type { Endpoint, VerifySettings } from '../verify/settings.ts';
import { authorityHostFrom, hostPort, refuseRetired, refuseUnverifiedTls, testRecipient } from '../verify/options.ts';
import { environmentNamed } from '../plan/environment-named.ts';

export interface VerifyOptions {
  env?: string[];
  all?: boolean;
  secretStdin?: boolean;
  authorityHost?: string;
  tokenOnly?: boolean;
  json?: boolean;
  report?: string;
  timeout: string;
  imap?: string;
  pop?: string;
  smtp?: string;
  concurrency: string;
  docs?: string;
  config?: string;
  trace?: boolean;
  proxy?: string;
  sendTestTo?: string;
  deadline?: string;
  force?: boolean;
  flavor?: string;
}

/**
 * The flags, checked and resolved against the plan: every usage error surfaces here, before any network use, and so
 * does every secret (asked for once per environment, up front, so a long run never stops halfway to ask).
 */
export async function verifySettings(
  manifestArg: string,
  opts: VerifyOptions,
  plan: Plan,
  io: Io,
  conceal: (v: string) => void,
) {
  const timeoutMs = seconds(opts.timeout, '--timeout') * 1000;
  const deadlineMs = opts.deadline === undefined ? undefined : seconds(opts.deadline, '--deadline') * 1000;
  const concurrency = concurrencyFlag(opts.concurrency);
  refuseUnverifiedTls(io.env);
  if (opts.proxy) parseProxy(opts.proxy);
  const flavor = opts.flavor === undefined ? undefined : parseFlavor(opts.flavor);
  const environments = selectEnvironments(plan, opts);
  const sendTestTo = opts.sendTestTo === undefined ? null : testRecipient(opts.sendTestTo);
  const endpoints = Object.fromEntries(
    protocolOrder.map((p) => [p, hostPort(opts[p], p, serverFor(plan.cloud, p))]),
  ) as Record<Protocol, Endpoint>;
  const authorityHost = authorityHostFrom(opts.authorityHost ?? plan.cloud.authorityHost);
  const { settings: config } = await configFor(manifestArg, io, opts.config);
  const secrets = await readSecrets(environments, opts, io, conceal);
  const settings: Omit<VerifySettings, 'progress'> = {
    manifest: manifestArg,
    authorityHost,
    endpoints,
    // The deadline runs from here, once the secrets are read (a prompt waits for a person, not a server).
    budget: new Budget(timeoutMs, deadlineMs),
    concurrency,
    tokenOnly: Boolean(opts.tokenOnly),
    docsDir: opts.docs ?? outDirFor(manifestArg, undefined, config.out, io.cwd),
    flavor: flavor ?? config.flavor ?? defaultFlavor,
    sendTestTo,
    secret: async (env) => secrets.get(env.name)!,
    conceal,
    proxy: (host) => proxyFor(host, opts.proxy, io.env),
    trace: opts.trace
      ? (prefix: string): Trace =>
          (dir, line) =>
            io.stderr.write(
              `[${neutralise(prefix)}] ${dir}: ${neutralise(dir === 'C' ? withoutSasl(line) : line, Infinity)}\n`,
            )
      : undefined,
    now: io.now,
  };
  return { environments, settings };
}

function selectEnvironments(plan: Plan, opts: VerifyOptions): EnvironmentPlan[] {
  const names = plan.environments.map((e) => e.name);
  const wanted = opts.env ?? [];
  if (opts.all && wanted.length)
    throw new UsageError(
      'bad-option',
      '--all and --env cannot be used together',
      'use --all for every environment, or --env once per environment',
    );
  // A retired environment (state: absent) has no setup left to prove: --all leaves it out, --env refuses it.
  if (opts.all) {
    const active = plan.environments.filter((e) => !e.retired);
    if (!active.length)
      throw new UsageError(
        'environment-retired',
        'every environment of the manifest has state: absent (retired): there is no setup to verify',
        "follow each environment's decommission.md, whose last step checks that nothing is left",
      );
    return active;
  }
  if (!wanted.length)
    throw new UsageError(
      'missing-env',
      `verify needs --env or --all (the manifest has: ${names.join(', ')})`,
      `add --env ${names[0]}, or --all`,
    );
  const chosen = [...new Set(wanted)].map((name) => environmentNamed(plan, name));
  chosen.forEach(refuseRetired);
  return plan.environments.filter((e) => chosen.includes(e)); // the manifest's order, as the documents list them
}

async function readSecrets(
  environments: EnvironmentPlan[],
  opts: VerifyOptions,
  io: Io,
  conceal: (v: string) => void,
): Promise<Map<string, string>> {
  const needing = environments.filter((e) => e.app.clientId);
  if (opts.secretStdin && needing.length > 1) {
    throw new UsageError(
      'bad-option',
      `--secret-stdin reads one secret, but ${needing.map((e) => e.name).join(', ')} each need their own`,
      "set each environment's app.secret.env variable instead, or verify one environment at a time",
    );
  }
  const secrets = new Map<string, string>();
  for (const env of needing) {
    const secret = await readSecret(io, {
      stdin: Boolean(opts.secretStdin),
      envVar: env.app.secretEnv,
      envName: env.name,
    });
    conceal(secret);
    secrets.set(env.name, secret);
  }
  return secrets;
}
