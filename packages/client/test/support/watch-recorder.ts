import type { HeadwayClient, JobEvent, WatchTarget, WatchUpdate } from '../../src/index.js';

/** Watches a target and keeps every update and event it received, for assertions. */
export class WatchRecorder {
  readonly updates: WatchUpdate[] = [];
  readonly events: JobEvent[] = [];
  readonly errors: Error[] = [];
  readonly stop: () => void;

  constructor(client: HeadwayClient, target: WatchTarget) {
    this.stop = client.watch(
      target,
      (update) => {
        this.updates.push(update);
        this.events.push(...update.events);
      },
      { onError: (error) => this.errors.push(error) },
    );
  }

  get latest(): WatchUpdate | undefined {
    return this.updates[this.updates.length - 1];
  }

  /** `from→to` of every transition event received, in order. */
  transitions(jobId?: string): string[] {
    return this.events.filter((e) => e.kind === 'transition' && (!jobId || e.jobId === jobId)).map((e) => (e.kind === 'transition' ? `${e.from ?? '∅'}→${e.to}` : ''));
  }

  seqs(jobId: string): number[] {
    return this.events.filter((e) => e.jobId === jobId).map((e) => e.seq);
  }
}
