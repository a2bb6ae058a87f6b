import type { BusMessage } from './bus.js';

type EventMessage = Extract<BusMessage, { type: 'event' }>;

export interface JobSequencerOptions {
  /** How long an event waits for a missing predecessor (published by a slower node) before it goes out anyway. */
  gapWaitMs: number;
  /** Jobs whose last seq is remembered; the oldest are forgotten first. */
  maxJobs: number;
  deliver: (message: BusMessage) => void;
}

interface Held {
  events: Map<number, EventMessage>;
  timer: NodeJS.Timeout;
}

/**
 * Puts the events of each job back in seq order when several nodes publish them. Each node
 * publishes in commit order, but two nodes writing one job race to Redis: seq 6 from node B can
 * arrive before seq 5 from node A. An event that skips ahead is held until the gap fills or
 * `gapWaitMs` passes (a node that died between commit and publish leaves a gap for ever); one at
 * or below the last delivered seq is a replay and is dropped, as clients drop it too.
 */
export class JobSequencer {
  private readonly lastSeq = new Map<string, number>();
  private readonly held = new Map<string, Held>();

  constructor(private readonly options: JobSequencerOptions) {}

  push(message: BusMessage): void {
    if (message.type !== 'event') return this.options.deliver(message);
    const { jobId, seq } = message.event;
    const last = this.lastSeq.get(jobId);
    // A job not seen before (created before this node started, or forgotten): start from here.
    if (last === undefined || seq === last + 1) {
      this.emit(message);
      this.drain(jobId);
      return;
    }
    if (seq <= last) return;
    this.hold(message);
  }

  /** Delivers what is held at once (closing). */
  flush(): void {
    for (const jobId of [...this.held.keys()]) this.release(jobId);
  }

  private emit(message: EventMessage): void {
    const { jobId, seq } = message.event;
    this.lastSeq.delete(jobId); // re-insert: Map order is the forgetting order
    this.lastSeq.set(jobId, seq);
    if (this.lastSeq.size > this.options.maxJobs) this.lastSeq.delete(this.lastSeq.keys().next().value!);
    this.options.deliver(message);
  }

  private hold(message: EventMessage): void {
    const { jobId, seq } = message.event;
    let held = this.held.get(jobId);
    if (!held) {
      const timer = setTimeout(() => this.release(jobId), this.options.gapWaitMs);
      timer.unref();
      this.held.set(jobId, (held = { events: new Map(), timer }));
    }
    held.events.set(seq, message);
  }

  /** Delivers held events that now follow on without a gap. */
  private drain(jobId: string): void {
    const held = this.held.get(jobId);
    if (!held) return;
    for (let next = this.lastSeq.get(jobId)! + 1; held.events.has(next); next++) {
      const message = held.events.get(next)!;
      held.events.delete(next);
      this.emit(message);
    }
    if (held.events.size === 0) {
      clearTimeout(held.timer);
      this.held.delete(jobId);
    }
  }

  /** The wait is over: what is held goes out in seq order, gaps and all. */
  private release(jobId: string): void {
    const held = this.held.get(jobId);
    if (!held) return;
    clearTimeout(held.timer);
    this.held.delete(jobId);
    const last = this.lastSeq.get(jobId) ?? 0;
    for (const seq of [...held.events.keys()].sort((a, b) => a - b)) if (seq > last) this.emit(held.events.get(seq)!);
  }
}
