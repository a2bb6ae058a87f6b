import type { BusMessage } from './bus.js';
import { PublishBatch } from './publish-batch.js';

export interface BatchedPublisherOptions {
  /** A batch leaves at most once per this window; the first message after a quiet spell leaves at once. */
  windowMs: number;
  /** Messages per sent batch at most (bounds what one receiver decodes in one go). */
  maxPerBatch: number;
  /** False while the broker is away: progress is then left out (the next announcement replaces it). */
  progressWanted: () => boolean;
  send: (messages: BusMessage[]) => void;
}

/**
 * Gathers what a node publishes into batches. A publish to Redis costs a socket write of
 * 100–200 µs here whatever its size; one per progress update saturated a node at 10,000
 * updates/s. Batches leave on the next microtask (so one announcement pass or one commit's
 * events is one batch), and at most once per `windowMs`: under load, announcement passes of
 * one window share one write, and a job's ticks within it conflate (see PublishBatch).
 */
export class BatchedPublisher {
  private readonly batch = new PublishBatch();
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private lastSentAt = -Infinity;

  constructor(private readonly options: BatchedPublisherOptions) {}

  add(message: BusMessage): void {
    this.batch.add(message);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastSentAt + this.options.windowMs - performance.now();
    if (wait <= 0) queueMicrotask(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), Math.ceil(wait));
  }

  /** Sends what is gathered now (also when closing). */
  flush(): void {
    this.scheduled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.batch.size === 0) return;
    this.lastSentAt = performance.now();
    for (const messages of this.batch.take(this.options.maxPerBatch, this.options.progressWanted())) this.options.send(messages);
  }
}
