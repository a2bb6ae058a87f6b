import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { BatchedPublisher } from '../../src/bus/batched-publisher.js';
import { eventually } from '../support/node.js';

function progress(jobId: string, done: number): BusMessage {
  return { type: 'progress', owner: null, parentId: null, update: { jobId, seq: 1, at: done, job: { done } as never } };
}

const doneOf = (m: BusMessage) => (m.type === 'progress' ? `${m.update.jobId}:${(m.update.job as { done: number }).done}` : m.type);

describe('BatchedPublisher', () => {
  it('sends the first batch after a quiet spell on the next microtask, then at most once per window', async () => {
    const sent: Array<{ at: number; messages: string[] }> = [];
    const publisher = new BatchedPublisher({ windowMs: 200, maxPerBatch: 100, progressWanted: () => true, send: (messages) => sent.push({ at: performance.now(), messages: messages.map(doneOf) }) });
    publisher.add(progress('a', 1));
    publisher.add(progress('b', 1));
    await Promise.resolve();
    expect(sent.map((s) => s.messages)).toEqual([['a:1', 'b:1']]);
    // Two more turns inside the window: one batch when it ends, a's ticks conflated.
    publisher.add(progress('a', 2));
    await new Promise((resolve) => setImmediate(resolve));
    publisher.add(progress('a', 3));
    publisher.add(progress('c', 1));
    await eventually(() => sent.length === 2, 5_000, 'the second batch');
    expect(sent[1]!.messages).toEqual(['a:3', 'c:1']);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(195);
  });

  it('flush sends what is gathered at once, and an empty flush sends nothing', () => {
    const sent: BusMessage[][] = [];
    const publisher = new BatchedPublisher({ windowMs: 10_000, maxPerBatch: 100, progressWanted: () => false, send: (messages) => sent.push(messages) });
    publisher.flush();
    publisher.add(progress('a', 1));
    publisher.add({ type: 'notification', userId: 'u', notification: {} as never });
    publisher.flush();
    expect(sent.map((batch) => batch.map(doneOf))).toEqual([['notification']]); // progress is left out while the broker is away
  });
});
