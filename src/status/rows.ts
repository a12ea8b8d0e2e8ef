import type { Plan } from '../plan/plan.ts';
import { secretExpiry, type ExpiryState } from '../plan/expiry.ts';

export type StatusState = ExpiryState | 'not registered';

export interface StatusRow {
  manifest: string;
  company: string;
  project: string;
  environment: string;
  tenantId: string;
  clientId: string | null;
  secretExpires: string | null;
  daysLeft: number | null;
  contacts: string[];
  state: StatusState;
  /** At or past --fail-days (never when not registered): makes `status` exit 1. */
  failing: boolean;
  /** Where the rotation steps are: the environment's runbook, at its secret section. */
  rotation: string;
}

export interface Thresholds {
  warnDays: number;
  failDays: number;
}

/** The runbook heading every environment's rotation steps are under (GitHub's anchor for "Secret expiry and rotation"). */
export const rotationAnchor = 'secret-expiry-and-rotation';

/** One row per environment of every manifest, soonest expiry first; environments with no date come last. Pure. */
export function statusRows(
  manifests: { manifest: string; plan: Plan; runbookOf: (env: string) => string }[],
  today: string,
  t: Thresholds,
): StatusRow[] {
  const rows = manifests.flatMap(({ manifest, plan, runbookOf }) =>
    plan.environments.map((env): StatusRow => {
      const expiry = secretExpiry(today, env.app.secretExpires, t.warnDays);
      const state: StatusState = env.app.clientId ? expiry.state : 'not registered';
      return {
        manifest,
        company: plan.bizagi.company,
        project: plan.bizagi.project,
        environment: env.name,
        tenantId: plan.tenant.id,
        clientId: env.app.clientId,
        secretExpires: env.app.secretExpires,
        daysLeft: expiry.daysLeft,
        contacts: [plan.contacts.itSupport, plan.contacts.exchangeAdmin].filter((c): c is string => c !== null),
        state,
        // An app not registered yet has no secret in Entra to expire (a date in the manifest is a plan), so it never
        // fails, whatever that date says.
        failing: state !== 'not registered' && expiry.daysLeft !== null && expiry.daysLeft <= t.failDays,
        rotation: `${runbookOf(env.name)}#${rotationAnchor}`,
      };
    }),
  );
  return rows.sort(bySoonest);
}

function bySoonest(a: StatusRow, b: StatusRow): number {
  if (a.daysLeft !== b.daysLeft) {
    if (a.daysLeft === null) return 1;
    if (b.daysLeft === null) return -1;
    return a.daysLeft - b.daysLeft;
  }
  return compare(a.manifest, b.manifest) || compare(a.environment, b.environment);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
