// The date arithmetic of a recorded secret expiry. The manifest's rules warn with it and the plan decides each
// secret's state with it; it lives here, below both, so that checking a manifest needs nothing from the plan.

/** Days before a secret's expiry from which we warn. */
export const expiryWarningDays = 30;

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

/** "expired on 2026-01-31", "expires today (2026-01-31)", "expires in 3 days (2026-02-03)". */
export function describeExpiry(expires: string, daysLeft: number): string {
  if (daysLeft < 0) return `expired on ${expires}`;
  if (daysLeft === 0) return `expires today (${expires})`;
  return `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${expires})`;
}
