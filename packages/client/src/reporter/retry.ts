import { isTransientError } from '../errors.js';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../live/backoff.js';

export interface RetryLimits {
  /** Give up once this time (ms since the epoch) has passed; by default never. */
  until?: number;
  /** Give up at once when it aborts, with its reason. */
  signal?: AbortSignal;
}

/**
 * Calls `call` until it answers, retrying transient failures (no answer, 429, 500, 503) with
 * jittered backoff capped at DEFAULT_BACKOFF.maxMs. Other errors are thrown at once.
 */
export async function retryTransient<T>(call: () => Promise<T>, limits: RetryLimits = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      limits.signal?.throwIfAborted();
      const left = (limits.until ?? Infinity) - Date.now();
      if (!isTransientError(error) || left <= 0) throw error;
      await sleep(Math.min(backoffDelayMs(attempt, DEFAULT_BACKOFF), left), limits.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
