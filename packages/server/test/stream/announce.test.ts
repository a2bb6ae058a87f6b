import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { LocalBus } from '../../src/bus/local-bus.js';
import { LiveJobs } from '../../src/service/jobs/live-jobs.js';
import { buildJobTree } from '../../src/service/jobs/new-job.js';
import { ProgressAnnouncer } from '../../src/service/jobs/progress-announcer.js';
import { ProgressInterest } from '../../src/service/jobs/progress-interest.js';
import { eventually } from '../support/node.js';

/** A real cache and bus with one running job; `tick` reports progress the way the service does. */
function setup(minIntervalMs: number, interest = new ProgressInterest(true)) {
  const bus = new LocalBus((error) => {
    throw error;
  });
  const live = new LiveJobs();
  const [record] = buildJobTree({ type: 'announced', total: 1_000_000 }, null, 0);
  const entry = live.put({ ...record!, status: 'running', startedAt: 0 })!;
  const announced: number[] = [];
  bus.subscribe((message: BusMessage) => void (message.type === 'progress' && announced.push(message.update.job.done ?? -1)));
  const frozenClock = () => 1_000; // the service clock may be an injected, frozen one
  const announcer = new ProgressAnnouncer({ live, bus, now: frozenClock, minIntervalMs, interest });
  const tick = (done: number) => {
    entry.record.done = done;
    live.touch(entry.record.id);
  };
  return { announcer, announced, tick, id: entry.record.id, owner: entry.record.owner };
}

describe('progress announcements', () => {
  it('a report is announced as soon as the reporting code yields, not at the next timer', async () => {
    const { announcer, announced, tick } = setup(10_000);
    announcer.start();
    tick(1);
    expect(announced).toEqual([]); // not in the middle of the caller's synchronous work
    await Promise.resolve();
    expect(announced).toEqual([1]);
    announcer.stop();
  });

  it('a job reported thousands of times is announced at most once per interval, ending with its newest value', async () => {
    const { announcer, announced, tick } = setup(20);
    announcer.start();
    const started = performance.now();
    let done = 0;
    while (performance.now() - started < 200) {
      tick(++done);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await eventually(() => announced[announced.length - 1] === done, 2_000, 'the newest value to be announced');
    const elapsedMs = performance.now() - started;
    expect(done).toBeGreaterThan(200); // many more reports than announcements
    expect(announced.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 20) + 2);
    expect(announced).toEqual([...announced].sort((a, b) => a - b)); // never backwards
    announcer.stop();
  });

  it('stop announces what is still held', async () => {
    const { announcer, announced, tick } = setup(60_000);
    announcer.start();
    tick(1);
    await Promise.resolve();
    tick(2); // within the interval: held
    await Promise.resolve();
    expect(announced).toEqual([1]);
    announcer.stop();
    expect(announced).toEqual([1, 2]);
  });

  it('progress of a job nobody on the node follows is not announced; a follower gets the next report', async () => {
    const interest = new ProgressInterest(false);
    const { announcer, announced, tick, id, owner } = setup(1, interest);
    announcer.start();
    tick(1);
    await Promise.resolve();
    expect(announced).toEqual([]);
    const unfollow = interest.follow(id);
    tick(2);
    await Promise.resolve();
    expect(announced).toEqual([2]);
    unfollow();
    unfollow(); // twice is harmless: the count never goes below zero
    await new Promise((resolve) => setTimeout(resolve, 5));
    tick(3);
    await Promise.resolve();
    expect(announced).toEqual([2]);
    const removeSource = interest.addSource((jobId, jobOwner) => jobId === id && jobOwner === owner);
    await new Promise((resolve) => setTimeout(resolve, 5));
    tick(4);
    await Promise.resolve();
    expect(announced).toEqual([2, 4]);
    removeSource();
    expect(interest.wants(id, owner)).toBe(false);
    expect(new ProgressInterest(true).wants(id, owner)).toBe(true); // a bus shared with other nodes
    announcer.stop();
  });
});
