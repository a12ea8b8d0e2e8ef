import { UsageError } from '../../errors.ts';
import type { Protocol } from '../../manifest/types.ts';
import type { EnvironmentPlan } from '../../plan/plan.ts';
import type { Endpoint } from './settings.ts';

// The checks of what verify is told to do, shared by the command's flags and the library's options: each takes the
// name the caller knows (`--timeout` on the command line, `timeoutSeconds` in the library) for its message and fix.

/** An example of a good value, as the caller would write it: `e.g. --timeout 30` or `e.g. timeoutSeconds: 30`. */
export const eg = (name: string, value: string | number): string =>
  name.startsWith('--') ? `e.g. ${name} ${value}` : `e.g. ${name}: ${typeof value === 'number' ? value : `'${value}'`}`;

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
    throw new UsageError('bad-option', `${name} "${url}" is not a URL`, eg(name, 'https://login.microsoftonline.com'));
  }
  if (u.protocol !== 'https:')
    throw new UsageError(
      'bad-option',
      `${name} must use https, not ${u.protocol}`,
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
      `${flag} "${value}" is not host:port`,
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
      `${name} "${value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}" is not an e-mail address`,
      `${eg(name, 'it-support@contoso.com')} (a mailbox you can read)`,
    );
  }
  return v;
}
