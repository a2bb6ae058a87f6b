import type { JobEvent } from '@headway/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LocalBus } from '../../src/bus/local-bus.js';
import { followOtherNodes } from '../../src/service/jobs/follow-other-nodes.js';
import { LiveJobs } from '../../src/service/jobs/live-jobs.js';
import { takeChangedProgress } from '../../src/service/jobs/progress-fields.js';
import { progressFieldBit } from '../../src/store/progress-fields.js';
import { makeJob } from '../store/fixtures.js';
import { eventually } from '../support/node.js';
import { testStorePerTest } from '../support/store-per-test.js';

const store = testStorePerTest('follow');

describe('following changes made by other nodes', () => {
  it('reads a cached job from the store once per burst of foreign events, not once per event, and ends at the newest state', async () => {
    const job = makeJob({ status: 'running', startedAt: 1_000 });
    await store().jobs.insert([job], 1_000);
    const live = new LiveJobs();
    live.put((await store().jobs.get(job.id))!);
    const bus = new LocalBus((error) => {
      throw error;
    });
    const stop = followOtherNodes(bus, live, store(), pino({ level: 'silent' }));
    let reads = 0;
    const read = store().jobs.get.bind(store().jobs);
    store().jobs.get = (id) => (reads++, read(id));

    // Another node writes 30 log lines and then cancels: 31 events that reach this node in one burst.
    const events: JobEvent[] = [];
    let seq = live.get(job.id)!.record.seq;
    for (let i = 0; i < 31; i++) {
      const last = i === 30;
      const result = await store().jobs.commit(
        { id: job.id, expectedSeq: seq, patch: last ? { control: 'cancel' } : {}, events: [{ kind: 'log', level: 'info', message: `line ${i}` }] },
        2_000 + i,
      );
      if (!result.ok) throw new Error('lost a race nobody runs');
      events.push(...result.events);
      seq = result.events.at(-1)!.seq;
    }
    for (const event of events) bus.publish({ type: 'event', event, job: { id: job.id, seq: event.seq } as never });

    await eventually(() => live.get(job.id)?.record.seq === seq, 5_000, 'the cache at the newest seq');
    expect(live.get(job.id)!.record.control).toBe('cancel');
    expect(reads).toBeLessThanOrEqual(2);
    // A late event at or below what the cache holds reads nothing.
    bus.publish({ type: 'event', event: events[5]!, job: { id: job.id, seq: events[5]!.seq } as never });
    expect(reads).toBeLessThanOrEqual(2);
    stop();
  });

  it('keeps progress it answered and has not written when another node finishes the job, and writes it under the new seq', async () => {
    const job = makeJob({ status: 'running', startedAt: 1_000, total: 2_000, done: 1_986, percent: 99.3 });
    await store().jobs.insert([job], 1_000);
    const live = new LiveJobs();
    const entry = live.put((await store().jobs.get(job.id))!)!;
    const bus = new LocalBus((error) => {
      throw error;
    });
    const stop = followOtherNodes(bus, live, store(), pino({ level: 'silent' }));
    // The worker's last report, answered here and not yet flushed.
    Object.assign(entry.record, { done: 2_000, message: 'row 2,000' });
    entry.unflushed |= progressFieldBit('done') | progressFieldBit('message');
    live.touchEntry(entry);

    // Its completion, sent right after through another node.
    const result = await store().jobs.commit({ id: job.id, expectedSeq: entry.record.seq, patch: { status: 'completed', percent: 100, finishedAt: 2_000 }, events: [{ kind: 'transition', from: 'running', to: 'completed' }] }, 2_000);
    if (!result.ok) throw new Error('lost a race nobody runs');
    const completed = result.events[0]!;
    bus.publish({ type: 'event', event: completed, job: { id: job.id, seq: completed.seq } as never });

    await eventually(() => live.get(job.id)?.record.status === 'completed', 5_000, 'the completion in the cache');
    expect(live.get(job.id)!.record).toMatchObject({ seq: completed.seq, done: 2_000, message: 'row 2,000', percent: 100 });
    // The flusher's next write holds it, under the completed seq.
    const [taken] = live.takeDirty();
    expect(taken).toBe(live.get(job.id));
    const patch = takeChangedProgress(taken!)!;
    expect(patch).toMatchObject({ seq: completed.seq, done: 2_000, message: 'row 2,000' });
    expect((await store().jobs.saveProgress([patch])).stale).toEqual([]);
    expect(await store().jobs.get(job.id)).toMatchObject({ status: 'completed', done: 2_000, message: 'row 2,000' });
    stop();
  });
});
