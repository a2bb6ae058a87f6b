import type { Bus } from '../../bus/bus.js';

export type WaitOutcome = 'changed' | 'timeout' | 'aborted';

/**
 * Resolves at the next event or progress update of the job, after `timeoutMs`, or as soon as
 * `signal` aborts (the long-polling client went away): the bus listener and the timer are
 * released at once, so abandoned long-polls hold nothing until their timeout.
 */
export function waitForJobChange(bus: Bus, jobId: string, timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
  if (signal?.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const finish = (outcome: WaitOutcome) => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => finish('aborted');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    const unsubscribe = bus.subscribe((message) => {
      const id = message.type === 'event' ? message.event.jobId : message.type === 'progress' ? message.update.jobId : null;
      if (id === jobId) finish('changed');
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
