/** Waits `ms`, or rejects at once when the job is cancelled, so demo handlers stop promptly. */
export function pace(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Some jitter so the demo's rates and ETAs look like real work. */
export function jitter(ms: number, spread = 0.4): number {
  return Math.round(ms * (1 - spread / 2 + Math.random() * spread));
}
