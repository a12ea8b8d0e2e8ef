/** Node's timers hold at most 2^31 - 1 ms (about 24.8 days); a longer delay would silently become 1 ms. */
export const maxTimerSeconds = Math.floor((2 ** 31 - 1) / 1000);
/** More logins at once than this would only look like an attack to Exchange Online. */
export const maxConcurrency = 64;

/** What a server may send us, at most (the time it may take is bounded by the time limits). */
export const caps = {
  /** A token response is about 2 KB; an endless body is cut here. */
  tokenBodyBytes: 256 * 1024,
  /** One IMAP/POP/SMTP line or response; Exchange's longest (a CAPABILITY list) is far below. */
  mailLineBytes: 64 * 1024,
  /** Everything one POP login may receive. */
  mailLoginBytes: 1024 * 1024,
} as const;

/**
 * The time left for one step (the token request, or one login): --timeout, cut to what is left of --deadline. Both
 * are wall-clock limits: a server that trickles one byte a second is stopped as surely as a silent one.
 */
export class Budget {
  private readonly deadlineAt: number | undefined;
  constructor(
    readonly timeoutMs: number,
    readonly deadlineMs: number | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.deadlineAt = deadlineMs === undefined ? undefined : clock() + deadlineMs;
  }

  /** Milliseconds the next step may take; 0 once the deadline has passed (or too little is left to start one). */
  next(): number {
    if (this.deadlineAt === undefined) return this.timeoutMs;
    const left = this.deadlineAt - this.clock();
    return left < 100 ? 0 : Math.min(this.timeoutMs, left);
  }

  /** The limit of the next step and what sets it, for the token request. */
  step(): { timeoutMs: number; limitedBy: 'timeout' | 'deadline' } {
    const ms = this.next();
    return { timeoutMs: ms, limitedBy: this.cutByDeadline(ms) ? 'deadline' : 'timeout' };
  }

  /** True when the limit of a step is the deadline rather than --timeout. */
  cutByDeadline(ms: number): boolean {
    return ms < this.timeoutMs;
  }
}
