import type { Protocol } from '../../manifest/types.ts';
import type { EnvironmentPlan } from '../../plan/plan.ts';
import type { Flavor } from '../../plan/anchors.ts';
import type { Budget } from './limits.ts';
import type { Trace } from '../network/mail/login-result.ts';
import type { CheckResult } from '../report/result.ts';

export type Endpoint = { host: string; port: number };

/** Everything verify needs besides the plan, resolved from flags by the command; nothing here reads the process. */
export interface VerifySettings {
  /** The manifest as the user named it, for the report. */
  manifest: string;
  /** https://host[:port] of the sign-in service. */
  authorityHost: string;
  endpoints: Record<Protocol, Endpoint>;
  /** --timeout per step and what is left of --deadline: every network step takes its wall-clock limit from here. */
  budget: Budget;
  /** Logins (and test messages) at once. */
  concurrency: number;
  tokenOnly: boolean;
  /** Where generate wrote the documents: diagnoses link to the runbook's steps there. */
  docsDir: string;
  /** The Markdown flavour they were written in, which decides the anchor of each step. */
  flavor: Flavor;
  /** Send one test message from each SMTP mailbox and each of its sendAs addresses to this address. */
  sendTestTo: string | null;
  /** The secret Value for an environment; asked for only when the environment has a client ID. */
  secret: (env: EnvironmentPlan) => Promise<string>;
  /** Told of every value that must never be shown (the secret, each token), before it can reach any output. */
  conceal: (value: string) => void;
  proxy: (host: string) => URL | undefined;
  trace?: (prefix: string) => Trace;
  now: () => Date;
  progress?: VerifyProgress;
}

/** What a terminal shows while verify runs: each check once it is known, and what is being waited for. */
export interface VerifyProgress {
  check(check: CheckResult): void;
  /** What is in progress ("logins 3/7"), or null when nothing is. */
  working(what: string | null): void;
}
