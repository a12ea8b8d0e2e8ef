import { UsageError } from '../../errors.ts';
import type { Protocol } from '../../manifest/types.ts';
import type { EnvironmentPlan } from '../../plan/plan.ts';
import { flavors, parseFlavor, type Flavor } from '../../plan/anchors.ts';
import { maxConcurrency, maxTimerSeconds } from './limits.ts';
import type { Endpoint } from './settings.ts';

// The checks of what verify is told to do, shared by the command's flags and the library's options: each takes the
// name the caller knows (`--timeout` on the command line, `timeoutSeconds` in the library) for its message and fix.

/** The name of each option as its caller knows it. */
export interface OptionNames {
  timeout: string;
  deadline: string;
  concurrency: string;
  proxy: string;
  flavor: string;
  authorityHost: string;
  sendTestTo: string;
  server: (protocol: Protocol) => string;
}

export const flagNames: OptionNames = {
  timeout: '--timeout',
  deadline: '--deadline',
  concurrency: '--concurrency',
  proxy: '--proxy',
  flavor: '--flavor',
  authorityHost: '--authority-host',
  sendTestTo: '--send-test-to',
  server: (p) => `--${p}`,
};

export const libraryNames: OptionNames = {
  timeout: 'timeoutSeconds',
  deadline: 'deadlineSeconds',
  concurrency: 'concurrency',
  proxy: 'proxy',
  flavor: 'flavor',
  authorityHost: 'authorityHost',
  sendTestTo: 'sendTestTo',
  server: (p) => `servers.${p}`,
};

export const isFlag = (name: string) => name.startsWith('--');

/**
 * The wrong value itself, quoted, when the user typed it on a command line; nothing for a program's option, which
 * could be a secret put in the wrong place (an error message travels to logs the caller does not control).
 */
export const shown = (name: string, value: string) => (isFlag(name) ? ` "${value}"` : '');
/** The same, after a word: `--timeout must be …, not "x"`, or nothing. */
const not = (name: string, value: string) => (isFlag(name) ? `, not "${value}"` : '');

/** An example of a good value, as the caller would write it: `e.g. --timeout 30` or `e.g. timeoutSeconds: 30`. */
export const eg = (name: string, value: string | number): string =>
  isFlag(name) ? `e.g. ${name} ${value}` : `e.g. ${name}: ${typeof value === 'number' ? value : `'${value}'`}`;

export function refuseUnverifiedTls(env: Record<string, string | undefined>): void {
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    // A pass with certificate checks off proves nothing about the real servers: refuse rather than mark every result.
    throw new UsageError(
      'tls-unverified',
      'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off TLS certificate checks, so verify will not run: a result could come from any server',
      'unset NODE_TLS_REJECT_UNAUTHORIZED; to trust a TLS-inspecting proxy or a test server, give its CA with NODE_EXTRA_CA_CERTS=<ca.pem>',
    );
  }
}

/** A retired environment (state: absent) has no setup left to prove. */
export function refuseRetired(env: EnvironmentPlan): void {
  if (env.retired)
    throw new UsageError(
      'environment-retired',
      `environment "${env.name}" has state: absent (retired): there is no setup to verify`,
      `follow ${env.name}/decommission.md, whose last step checks that nothing is left`,
    );
}

export function authorityHostFrom(url: string, name = '--authority-host'): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(
      'bad-option',
      `${name}${shown(name, url)} is not a URL`,
      eg(name, 'https://login.microsoftonline.com'),
    );
  }
  if (u.protocol !== 'https:')
    throw new UsageError(
      'bad-option',
      `${name} must use https${isFlag(name) ? `, not ${u.protocol}` : ''}`,
      'tokens are only requested over https',
    );
  return `${u.protocol}//${u.host}`;
}

export function hostPort(
  value: string | undefined,
  protocol: Protocol,
  fallback: Endpoint,
  flag = `--${protocol}`,
): Endpoint {
  if (value === undefined) return { host: fallback.host, port: fallback.port };
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535)
    throw new UsageError(
      'bad-option',
      `${flag}${shown(flag, value)} is not host:port`,
      eg(flag, `${fallback.host}:${fallback.port}`),
    );
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** One plain address: it becomes an SMTP envelope recipient, so nothing that could inject a command or a header. */
export function testRecipient(value: string, name = '--send-test-to'): string {
  const v = value.trim();
  if (
    !/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(
      v,
    ) ||
    v.length > 254
  ) {
    throw new UsageError(
      'bad-option',
      `${name}${shown(name, value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?'))} is not an e-mail address`,
      `${eg(name, 'it-support@contoso.com')} (a mailbox you can read)`,
    );
  }
  return v;
}

export function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError('bad-option', `${flag} must be a positive number of seconds${not(flag, value)}`, eg(flag, 30));
  if (n > maxTimerSeconds)
    throw new UsageError(
      'bad-option',
      `${flag}${isFlag(flag) ? ` ${value}` : ''} is longer than the longest time limit Node can keep (${maxTimerSeconds} s)`,
      eg(flag, 30),
    );
  return n;
}

export function concurrency(value: string, name = '--concurrency'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1 || n > maxConcurrency) {
    throw new UsageError(
      'bad-option',
      `${name} must be a whole number from 1 to ${maxConcurrency}${not(name, value)}`,
      eg(name, 4),
    );
  }
  return n;
}

/** A Markdown flavour; a program's wrong value is not repeated (see `shown`). */
export function checkedFlavor(value: string, name: string): Flavor {
  if (isFlag(name) || (flavors as readonly string[]).includes(value)) return parseFlavor(value);
  throw new UsageError('unknown-flavor', `${name} is not a Markdown flavour`, `use one of: ${flavors.join(', ')}`);
}
