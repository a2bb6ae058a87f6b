import type { BusMessage } from './bus.js';

/**
 * The messages one node publishes in one go (until its next microtask), to cross Redis as one
 * message. Progress is state: a job's newer progress replaces its older one in place, unless
 * an event of that job came between them (then the newer progress goes after the event, so a
 * receiver never sees progress from before a transition arrive after it). Events and
 * notifications are history: never replaced, never reordered, never dropped.
 */
export class PublishBatch {
  private messages: BusMessage[] = [];
  /** Where each job's progress sits in `messages`, while no later event of that job follows it. */
  private progressAt = new Map<string, number>();

  get size(): number {
    return this.messages.length;
  }

  add(message: BusMessage): void {
    if (message.type === 'progress') {
      const jobId = message.update.jobId;
      const at = this.progressAt.get(jobId);
      if (at !== undefined) {
        this.messages[at] = message;
        return;
      }
      this.progressAt.set(jobId, this.messages.length);
    } else if (message.type === 'event') {
      this.progressAt.delete(message.event.jobId);
    }
    this.messages.push(message);
  }

  /**
   * Empties the batch into chunks of at most `maxPerChunk` messages, in order. Without
   * `withProgress` (Redis is away) progress is left out: the next announcement replaces it.
   */
  take(maxPerChunk: number, withProgress: boolean): BusMessage[][] {
    const messages = withProgress ? this.messages : this.messages.filter((m) => m.type !== 'progress');
    this.messages = [];
    // A fresh map rather than clear(): V8 links a cleared table to its successor, and a batch
    // object lives for good, so once promoted each cleared table would keep the next one (and
    // the job ids in it) alive through every scavenge until a full GC (see Outbox.drainProgress).
    this.progressAt = new Map();
    const chunks: BusMessage[][] = [];
    for (let start = 0; start < messages.length; start += maxPerChunk) chunks.push(messages.slice(start, start + maxPerChunk));
    return chunks;
  }
}
