import type { Job, JobEvent } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { PublishBatch } from '../../src/bus/publish-batch.js';

function progress(jobId: string, done: number): BusMessage {
  return { type: 'progress', owner: null, parentId: null, update: { jobId, seq: 1, at: done, job: { done } as never } };
}

function event(jobId: string, seq: number): BusMessage {
  return { type: 'event', event: { kind: 'log', level: 'info', message: 'x', jobId, seq, at: seq, cursor: seq } as JobEvent, job: { id: jobId, seq } as Job };
}

/** `job:done` for progress, `job#seq` for events, in batch order. */
function labels(messages: BusMessage[]): string[] {
  return messages.map((m) => (m.type === 'progress' ? `${m.update.jobId}:${(m.update.job as { done: number }).done}` : m.type === 'event' ? `${m.event.jobId}#${m.event.seq}` : 'notification'));
}

describe('PublishBatch', () => {
  it('keeps only the newest progress of a job, in the place of its first', () => {
    const batch = new PublishBatch();
    for (let done = 1; done <= 3; done++) for (const job of ['a', 'b']) batch.add(progress(job, done));
    expect(batch.size).toBe(2);
    expect(labels(batch.take(100, true).flat())).toEqual(['a:3', 'b:3']);
    expect(batch.size).toBe(0);
  });

  it('never moves a job’s progress across an event of that job, and never conflates events', () => {
    const batch = new PublishBatch();
    batch.add(progress('a', 1));
    batch.add(progress('b', 1));
    batch.add(event('a', 2));
    batch.add(event('a', 3));
    batch.add(progress('a', 2));
    batch.add(progress('b', 2)); // b had no event: replaces b:1 in place
    batch.add(progress('a', 3));
    expect(labels(batch.take(100, true).flat())).toEqual(['a:1', 'b:2', 'a#2', 'a#3', 'a:3']);
  });

  it('leaves progress out while Redis is away, but never an event or a notification', () => {
    const batch = new PublishBatch();
    batch.add(progress('a', 1));
    batch.add(event('a', 2));
    batch.add({ type: 'notification', userId: 'u', notification: {} as never });
    batch.add(progress('a', 2));
    expect(labels(batch.take(100, false).flat())).toEqual(['a#2', 'notification']);
  });

  it('splits a large batch into chunks, in order', () => {
    const batch = new PublishBatch();
    for (let seq = 1; seq <= 5; seq++) batch.add(event('a', seq));
    expect(batch.take(2, true).map(labels)).toEqual([['a#1', 'a#2'], ['a#3', 'a#4'], ['a#5']]);
  });
});
