import type { Bus } from '../../bus/bus.js';

/** Resolves at the next event or progress update of the job, or after `timeoutMs`. */
export function waitForJobChange(bus: Bus, jobId: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = bus.subscribe((message) => {
      const id = message.type === 'event' ? message.event.jobId : message.type === 'progress' ? message.update.jobId : null;
      if (id === jobId) done();
    });
  });
}
