import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Io } from '../cli/io.ts';
import { today, useColor } from '../cli/io.ts';
import { ExitCode, ReportedError, UsageError } from '../errors.ts';
import type { Protocol } from '../manifest/types.ts';
import { buildPlan, type Plan } from '../plan/plan.ts';
import { mailPorts } from '../plan/clouds.ts';
import { files } from '../render/render.ts';
import { formatReport, formatTerminal } from '../verify/format.ts';
import { decodeJwtPayload, safeClaims } from '../verify/jwt.ts';
import { loginChecks, type Endpoint } from '../verify/logins.ts';
import { redactingOutput, redactor, withoutSasl } from '../verify/redact.ts';
import type { Trace } from '../verify/mail/login-result.ts';
import type { CheckResult, VerifyReport } from '../verify/result.ts';
import { parseProxy, proxyFor } from '../verify/proxy.ts';
import { readSecret } from '../verify/secret-input.ts';
import { claimChecks, clientIdCheck, secretExpiryCheck, tokenCheck } from '../verify/token-checks.ts';
import { acquireToken } from '../verify/token.ts';
import { configFor } from '../config/load-config.ts';
import type { Settings } from '../config/settings.ts';
import { outDirFor } from './generate.ts';
import { environmentNamed } from './environment.ts';
import { loadOrReport } from './validate.ts';

export interface VerifyOptions {
  env?: string;
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
}

export async function verifyCommand(manifestArg: string, opts: VerifyOptions, rawIo: Io): Promise<void> {
  const known: string[] = [];
  const redact = redactor(() => known);
  // Everything verify prints passes through the redactor, once the secret and the token are known.
  const io: Io = { ...rawIo, stdout: redactingOutput(rawIo.stdout, redact), stderr: redactingOutput(rawIo.stderr, redact) };
  try {
    await run(manifestArg, opts, io, known);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ReportedError) throw e;
    // Never let a dependency's error carry the secret or the token out; its stack is not shown either.
    throw new Error(redact(e instanceof Error ? e.message : String(e)));
  }
}

/** The flags, checked and resolved against the plan; every usage error surfaces here, before any network use. */
function settings(manifestArg: string, opts: VerifyOptions, plan: Plan, io: Io, config: Settings) {
  const timeoutMs = positive(opts.timeout, '--timeout') * 1000;
  const concurrency = positive(opts.concurrency, '--concurrency');
  if (opts.proxy) parseProxy(opts.proxy);
  const names = plan.environments.map((e) => e.name);
  if (!opts.env) throw new UsageError('missing-env', `verify needs --env (the manifest has: ${names.join(', ')})`, `add --env ${names[0]}`);
  const env = environmentNamed(plan, opts.env);
  const endpoints: Record<Protocol, Endpoint> = {
    imap: endpoint(opts.imap, '--imap', { host: plan.cloud.imapHost, port: mailPorts.imap }),
    pop: endpoint(opts.pop, '--pop', { host: plan.cloud.popHost, port: mailPorts.pop }),
    smtp: endpoint(opts.smtp, '--smtp', { host: plan.cloud.smtpHost, port: mailPorts.smtp }),
  };
  return {
    env,
    timeoutMs,
    concurrency,
    endpoints,
    authorityHost: authority(opts.authorityHost ?? plan.cloud.authorityHost),
    runbook: `${opts.docs ?? outDirFor(manifestArg, undefined, config, io.cwd)}/${env.name}/${files.runbook}`.replace(/\\/g, '/'),
    proxy: (host: string) => proxyFor(host, opts.proxy, io.env),
    trace: opts.trace
      ? (prefix: string): Trace => (dir, line) => io.stderr.write(`[${prefix}] ${dir}: ${dir === 'C' ? withoutSasl(line) : line}\n`)
      : undefined,
  };
}

async function run(manifestArg: string, opts: VerifyOptions, io: Io, known: string[]): Promise<void> {
  const plan = buildPlan(await loadOrReport(manifestArg, io), basename(manifestArg));
  const { settings: config } = await configFor(manifestArg, io.cwd, opts.config);
  const { env, timeoutMs, concurrency, endpoints, authorityHost, runbook, proxy, trace } = settings(manifestArg, opts, plan, io, config);
  const started = io.now();
  const checks: CheckResult[] = [clientIdCheck(env, runbook)];
  let claims: Record<string, unknown> | null = null;

  if (env.app.clientId) {
    const secret = await readSecret(io, { stdin: Boolean(opts.secretStdin), envVar: env.app.secretEnv, envName: env.name });
    known.push(secret);
    checks.push(secretExpiryCheck(env, today(io), runbook));
    const outcome = await acquireToken(env, plan.tenant.id, env.app.clientId, secret, { authorityHost, timeoutMs, proxy: proxy(new URL(authorityHost).hostname) });
    if (outcome.ok) known.push(outcome.accessToken);
    checks.push(tokenCheck(env, outcome, authorityHost, secret, runbook));
    if (outcome.ok) {
      const payload = decodeJwtPayload(outcome.accessToken);
      claims = payload ? safeClaims(payload) : null;
      checks.push(...claimChecks(plan, env, payload, runbook));
      if (!opts.tokenOnly) {
        const roles = Array.isArray(payload?.roles) ? payload.roles.map(String) : [];
        checks.push(...(await loginChecks(env, outcome.accessToken, roles, { endpoints, concurrency, timeoutMs, runbook, proxy, trace })));
      }
    }
  }

  const report: VerifyReport = {
    manifest: manifestArg,
    environment: env.name,
    tenant: plan.tenant.id,
    clientId: env.app.clientId,
    startedAt: started.toISOString(),
    durationMs: io.now().getTime() - started.getTime(),
    result: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    claims,
    checks,
  };
  if (opts.report) {
    try {
      await writeFile(resolve(io.cwd, opts.report), formatReport(report));
    } catch (e) {
      throw new UsageError('cannot-write', `cannot write the report ${opts.report} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'choose a writable path for --report');
    }
  }
  io.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatTerminal(report, useColor(io.stdout, io.env)));
  if (report.result === 'fail') throw new ReportedError(ExitCode.checkFailed);
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('bad-option', `${flag} must be a positive number, not "${value}"`, `e.g. ${flag} 30`);
  return n;
}

function authority(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError('bad-option', `--authority-host "${url}" is not a URL`, 'e.g. --authority-host https://login.microsoftonline.com');
  }
  if (u.protocol !== 'https:') throw new UsageError('bad-option', `--authority-host must use https, not ${u.protocol}`, 'tokens are only requested over https');
  return `${u.protocol}//${u.host}`;
}

function endpoint(value: string | undefined, flag: string, fallback: Endpoint): Endpoint {
  if (value === undefined) return fallback;
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new UsageError('bad-option', `${flag} "${value}" is not host:port`, `e.g. ${flag} ${fallback.host}:${fallback.port}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
