import type { JobEvent } from '@headway/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LocalBus } from '../../src/bus/local-bus.js';
import { followOtherNodes } from '../../src/service/jobs/follow-other-nodes.js';
import { LiveJobs } from '../../src/service/jobs/live-jobs.js';
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
});
