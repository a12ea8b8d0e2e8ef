/** Days before a secret's expiry from which we warn. */
export const expiryWarningDays = 30;

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

/** What a recorded secret expiry means today. `not registered` (no client ID) is decided by the caller, who knows the app. */
export type ExpiryState = 'ok' | 'expiring' | 'expired' | 'unknown';

export interface Expiry {
  state: ExpiryState;
  /** Days from today to the expiry date; 0 on the date itself, negative after it; null when no date is recorded. */
  daysLeft: number | null;
}

/**
 * The manifest records a date, but Entra ends a secret at a time of day on that date, so the date itself already
 * counts as expired: nobody should rely on a secret on the day it stops working.
 */
export function secretExpiry(today: string, expires: string | null, warnDays: number = expiryWarningDays): Expiry {
  if (!expires) return { state: 'unknown', daysLeft: null };
  const daysLeft = daysBetween(today, expires);
  return { state: daysLeft <= 0 ? 'expired' : daysLeft <= warnDays ? 'expiring' : 'ok', daysLeft };
}

/** "expired on 2026-01-31", "expires today (2026-01-31)", "expires in 3 days (2026-02-03)". */
export function describeExpiry(expires: string, daysLeft: number): string {
  if (daysLeft < 0) return `expired on ${expires}`;
  if (daysLeft === 0) return `expires today (${expires})`;
  return `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${expires})`;
}
