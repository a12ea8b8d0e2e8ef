import type { Protocol } from '../../manifest/types.ts';

export type Status = 'pass' | 'fail' | 'warn' | 'skip';

export interface StepRef {
  id: string;
  number: number;
  title: string;
  /** Where the step is explained, e.g. runbooks/contoso-hr/test/runbook.md#grant-consent */
  link: string;
}

export interface Diagnosed {
  id: string;
  cause: string;
  advice: string | null;
  steps: StepRef[];
}

export interface CheckResult {
  id: string;
  title: string;
  status: Status;
  detail: string;
  diagnosis?: Diagnosed;
  /** A login may fail only because Exchange has not applied a recent change yet. */
  retryLater?: boolean;
  login?: { mailbox: string; protocol: Protocol; host: string; port: number };
  /** A test message sent with --send-test-to: through which mailbox, as whom, to whom. */
  send?: { mailbox: string; from: string; to: string };
  /** Wall-clock time of a network step (the token request, a login), to compare with --timeout. */
  elapsedMs?: number;
}

export interface VerifyReport {
  manifest: string;
  environment: string;
  tenant: string;
  clientId: string | null;
  startedAt: string;
  durationMs: number;
  result: 'pass' | 'fail';
  /** The version of mail-oauth-runbook that verified, for a record read months later. */
  toolVersion: string;
  /** Where verify went: the sign-in service (https://host[:port]) and each protocol's host:port. */
  hosts: { authority: string } & Record<Protocol, string>;
  claims: Record<string, unknown> | null;
  checks: CheckResult[];
}
