export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** How much longer to wait when the receiver said it is overloaded (429) or broken (5xx). */
const SLOW_DOWN_FACTOR = 4;

/**
 * Delay before attempt `failedAttempts + 1`: exponential (base × 2^(n-1), capped), with jitter
 * of ±25% so many failing notifications do not retry in lock-step. A receiver's Retry-After
 * wins when it asks for longer. Pure: `random` is passed in.
 */
export function retryDelayMs(failedAttempts: number, policy: BackoffPolicy, random: number, options: { slowDown?: boolean; retryAfterMs?: number } = {}): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  const factor = options.slowDown ? SLOW_DOWN_FACTOR : 1;
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent * factor);
  const jittered = Math.round(capped * (0.75 + random * 0.5));
  return Math.max(jittered, options.retryAfterMs ?? 0);
}
