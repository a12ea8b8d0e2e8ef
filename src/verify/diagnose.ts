import { diagnosisById } from '../plan/diagnoses.ts';
import type { EnvironmentPlan } from '../plan/plan.ts';
import type { Diagnosed } from './result.ts';

/**
 * A diagnosis with the steps to redo, taken from the environment's troubleshooting rows (the runbook's table), so
 * verify names exactly the steps the runbook lists.
 */
export function diagnosed(env: EnvironmentPlan, id: string, runbookPath: string): Diagnosed {
  const row = env.troubleshooting.find((r) => r.id === id);
  const d = diagnosisById(id);
  const steps = row?.steps ?? env.steps.filter((s) => d.redo.includes(s.id));
  return {
    id,
    cause: d.cause,
    advice: d.advice ?? null,
    steps: steps.map((s) => ({ id: s.id, number: s.number, title: s.title, link: `${runbookPath}#${s.anchor}` })),
  };
}

/** AADSTS numbers (msal's ServerError.errorNo) to our diagnosis ids. */
const aadsts: Record<string, string> = {
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

export const diagnosisForAadsts = (errorNo: string | null): string | undefined => (errorNo ? aadsts[errorNo] : undefined);
