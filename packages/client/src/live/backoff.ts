/** How long to wait before reconnect attempts; tests shrink these. */
export interface BackoffOptions {
  /** Delay cap of the first retry, milliseconds. */
  baseMs: number;
  /** Upper bound of any delay, milliseconds. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 15_000 };

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, base·2^attempt)].
 * Full jitter spreads thousands of clients that lost the same server, so they do not all
 * come back in the same instant (the "thundering herd" after a restart).
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.floor(random() * cap);
}
