import { diagnosisById, type DiagnosisId } from '../../plan/diagnoses.ts';
import type { EnvironmentPlan } from '../../plan/plan.ts';
import type { Step } from '../../plan/steps.ts';
import type { Diagnosed } from '../report/result.ts';
import type { NetworkFailure } from '../network/network-failure.ts';

/** Where diagnoses point: the environment's runbook, and the anchor its Markdown flavour gives a step. */
export interface RunbookRef {
  path: string;
  anchor: (step: Step) => string;
}

/**
 * A diagnosis with the steps to redo, taken from the environment's troubleshooting rows (the runbook's table), so
 * verify names exactly the steps the runbook lists.
 */
export function diagnosed(env: EnvironmentPlan, id: DiagnosisId, runbook: RunbookRef): Diagnosed {
  const row = env.troubleshooting.find((r) => r.id === id);
  const d = diagnosisById(id);
  const steps = row?.steps ?? env.steps.filter((s) => d.redo.includes(s.id));
  return {
    id,
    cause: d.cause,
    advice: d.advice ?? null,
    steps: steps.map((s) => ({
      id: s.id,
      number: s.number,
      title: s.title,
      link: `${runbook.path}#${runbook.anchor(s)}`,
    })),
  };
}

/** AADSTS numbers (msal's ServerError.errorNo) to our diagnosis ids. */
const aadsts: Record<string, DiagnosisId> = {
  '7000215': 'aadsts-7000215',
  '7000222': 'aadsts-7000222',
  '700016': 'aadsts-700016',
  '90002': 'aadsts-90002',
  '900023': 'aadsts-90002',
  '70011': 'aadsts-70011',
  '1002012': 'aadsts-70011',
  '7000112': 'aadsts-7000112',
  '53003': 'aadsts-53003',
  '90038': 'aadsts-90038',
};

export const diagnosisForAadsts = (errorNo: string | null): DiagnosisId | undefined =>
  errorNo ? aadsts[errorNo] : undefined;

/**
 * The network diagnosis, with the cause told by what actually happened: the runbook's "network" row names every usual
 * suspect (DNS, firewall, proxy), but a proxy that refused and a certificate this machine does not trust have rows of
 * their own, and a server that was reached and then fell silent has one cause and one fix.
 */
const networkRows: Partial<Record<NetworkFailure['kind'], DiagnosisId>> = {
  proxy: 'network-proxy',
  untrusted: 'network-untrusted-certificate',
};
/** What only verify's own run can meet (its time limits, a server answering far too much): no runbook row. */
const networkCauses: Partial<Record<NetworkFailure['kind'], { cause: string; advice: string }>> = {
  silent: {
    cause:
      'The server accepted the connection, then did not answer in time: it is overloaded or is not the expected service, or something in between (a TLS-inspecting proxy, a load balancer) holds the connection.',
    advice: 'Check that the host and port are the right service, retry later, or allow more time with --timeout.',
  },
  'too-big': {
    cause:
      'The server sent far more than a login or a token answer needs: it is not the expected service, or it misbehaves.',
    advice: 'Check that the host and port are the right service (--authority-host, --imap, --pop, --smtp).',
  },
  deadline: {
    cause: 'The run reached its --deadline before this step could finish.',
    advice: 'Allow more time with --deadline, or let more logins run at once with --concurrency.',
  },
};

export function networkDiagnosed(env: EnvironmentPlan, failure: NetworkFailure, runbook: RunbookRef): Diagnosed {
  const d = diagnosed(env, networkRows[failure.kind] ?? 'network', runbook);
  const specific = networkCauses[failure.kind];
  return specific ? { ...d, ...specific } : d;
}
