import type { Io } from '../io.ts';
import { UsageError } from '../errors.ts';
import { configFor } from '../config/load-config.ts';
import { outDirFor } from '../plan/layout.ts';
import { defaultFlavor } from '../render/flavors.ts';
import type { EnvironmentPlan, Plan } from '../plan/plan.ts';
import type { Trace } from '../verify/network/mail/login-result.ts';
import { withoutSasl } from '../verify/report/redact.ts';
import { readSecret } from '../verify/input/secret-input.ts';
import { neutralise } from '../verify/report/inert.ts';
import type { VerifySettings } from '../verify/input/settings.ts';
import { flagNames, refuseRetired } from '../verify/input/options.ts';
import { resolveSettings } from '../verify/input/resolve-settings.ts';
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
  const common = resolveSettings(
    plan,
    { ...opts, servers: { imap: opts.imap, pop: opts.pop, smtp: opts.smtp }, env: io.env },
    flagNames,
  );
  const environments = selectEnvironments(plan, opts);
  const { settings: config } = await configFor(manifestArg, io, opts.config);
  const secrets = await readSecrets(environments, opts, io, conceal);
  const settings: Omit<VerifySettings, 'progress'> = {
    ...common,
    manifest: manifestArg,
    // The deadline runs from here, once the secrets are read (a prompt waits for a person, not a server).
    budget: common.budget(),
    docsDir: opts.docs ?? outDirFor(manifestArg, undefined, config.out, io.cwd),
    flavor: common.flavor ?? config.flavor ?? defaultFlavor,
    secret: async (env) => secrets.get(env.name)!,
    conceal,
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
