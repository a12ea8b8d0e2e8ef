import type { Protocol } from '../../manifest/types.ts';
import type { Plan } from '../../plan/plan.ts';
import { protocolOrder, serverFor } from '../../plan/protocols.ts';
import { parseProxy, proxyFor } from '../network/proxy.ts';
import { Budget } from './limits.ts';
import {
  authorityHostFrom,
  checkedFlavor,
  concurrency as checkedConcurrency,
  hostPort,
  refuseUnverifiedTls,
  seconds,
  testRecipient,
  type OptionNames,
} from './options.ts';
import type { Endpoint, VerifySettings } from './settings.ts';

/** What the command's flags and the library's options both say, in either form (a flag's text or a number). */
export interface GivenSettings {
  timeout: string | number;
  deadline?: string | number;
  concurrency: string | number;
  /** An http:// proxy for every connection ('' for none); otherwise HTTPS_PROXY / NO_PROXY from `env`. */
  proxy?: string;
  flavor?: string;
  servers: Partial<Record<Protocol, string>>;
  authorityHost?: string;
  sendTestTo?: string;
  tokenOnly?: boolean;
  /** The environment variables of the run (NODE_TLS_REJECT_UNAUTHORIZED, HTTPS_PROXY, NO_PROXY). */
  env: Record<string, string | undefined>;
}

/** The settings both callers share, checked; each adds what only it knows (the secrets, the docs folder, a trace). */
export type ResolvedSettings = Pick<
  VerifySettings,
  'authorityHost' | 'endpoints' | 'concurrency' | 'tokenOnly' | 'sendTestTo' | 'proxy'
> & {
  /** undefined when not given: the command then reads the config file's, the library takes the default. */
  flavor: VerifySettings['flavor'] | undefined;
  /** The deadline runs from the call, so it is started once the secrets are read (a prompt waits for a person). */
  budget: () => Budget;
};

/**
 * One resolver for `verify`'s flags and `verifyEnvironment`'s options: the same checks in the same order, each
 * error naming the option as its caller knows it (`names`), before any secret is read or anything is sent.
 */
export function resolveSettings(plan: Plan, given: GivenSettings, names: OptionNames): ResolvedSettings {
  const timeoutMs = seconds(String(given.timeout), names.timeout) * 1000;
  const deadlineMs = given.deadline === undefined ? undefined : seconds(String(given.deadline), names.deadline) * 1000;
  const concurrency = checkedConcurrency(String(given.concurrency), names.concurrency);
  refuseUnverifiedTls(given.env);
  if (given.proxy) parseProxy(given.proxy, names.proxy);
  const flavor = given.flavor === undefined ? undefined : checkedFlavor(given.flavor, names.flavor);
  const sendTestTo = given.sendTestTo === undefined ? null : testRecipient(given.sendTestTo, names.sendTestTo);
  const endpoints = Object.fromEntries(
    protocolOrder.map((p) => [p, hostPort(given.servers[p], p, serverFor(plan.cloud, p), names.server(p))]),
  ) as Record<Protocol, Endpoint>;
  const authorityHost = authorityHostFrom(given.authorityHost ?? plan.cloud.authorityHost, names.authorityHost);
  return {
    authorityHost,
    endpoints,
    budget: () => new Budget(timeoutMs, deadlineMs),
    concurrency,
    tokenOnly: Boolean(given.tokenOnly),
    flavor,
    sendTestTo,
    proxy: (host) => proxyFor(host, given.proxy, given.env),
  };
}
