import { daysBetween, describeExpiry, expiryWarningDays } from '../manifest/expiry.ts';

// The plan's readers (status, verify, commands) take all they need of an expiry from this module.
export { describeExpiry, expiryWarningDays };

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
