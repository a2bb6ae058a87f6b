import { randomUUID } from 'node:crypto';
import type { Job, JobEvent } from '@headway/protocol';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { createRedisBus, type RedisBus } from '../../src/bus/redis-bus.js';
import { eventually } from '../support/node.js';
import { serviceUrl } from '../support/services.js';

const redisUrl = serviceUrl('redisUrl');

function eventMessage(jobId: string, seq: number): BusMessage {
  const event = { kind: 'log', level: 'info', message: `seq ${seq}`, jobId, seq, at: seq, cursor: seq } as JobEvent;
  return { type: 'event', event, job: { id: jobId, seq } as Job };
}

function progressMessage(jobId: string, seq: number, done: number): BusMessage {
  return { type: 'progress', owner: null, parentId: null, update: { jobId, seq, at: done, job: { done } as never } };
}

/** One job's messages as `p<done>` (progress) and `e<seq>` (events), in arrival order. */
function historyOf(messages: BusMessage[], jobId: string): string[] {
  return messages.flatMap((m) => {
    if (m.type === 'progress' && m.update.jobId === jobId) return [`p${(m.update.job as { done: number }).done}`];
    if (m.type === 'event' && m.event.jobId === jobId) return [`e${m.event.seq}`];
    return [];
  });
}

function seqsOf(messages: BusMessage[], jobId: string): number[] {
  return messages.flatMap((m) => (m.type === 'event' && m.event.jobId === jobId ? [m.event.seq] : []));
}

describe.skipIf(!redisUrl)('RedisBus', () => {
  const open: RedisBus[] = [];
  const errors: unknown[] = [];
  afterEach(async () => {
    for (const bus of open.splice(0)) await bus.close();
    errors.length = 0;
  });

  async function nodes(count: number, prefix = `test-${randomUUID()}`, gapWaitMs = 1_000): Promise<Array<{ bus: RedisBus; received: BusMessage[] }>> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const bus = await createRedisBus({ url: redisUrl!, prefix, gapWaitMs, onError: (error) => errors.push(error) });
        open.push(bus);
        const received: BusMessage[] = [];
        bus.subscribe((m) => received.push(m));
        return { bus, received };
      }),
    );
  }

  it('delivers every message to every node once, its own node synchronously', async () => {
    const [a, b, c] = await nodes(3);
    a!.bus.publish(eventMessage('job-1', 1));
    expect(seqsOf(a!.received, 'job-1')).toEqual([1]); // before any round trip
    c!.bus.publish({ type: 'progress', owner: null, parentId: null, update: { jobId: 'job-1', seq: 1, at: 5, job: { percent: 50 } as never } });
    for (const node of [a!, b!, c!]) await eventually(() => node.received.length === 2, 5_000, 'both messages on every node');
    // Give a duplicate echo the time to show up, then check nothing arrived twice.
    a!.bus.publish(eventMessage('marker', 1));
    for (const node of [a!, b!, c!]) await eventually(() => node.received.length === 3, 5_000, 'the marker');
    // Messages of different publishers may interleave differently on each node; none is missing or doubled.
    for (const node of [a!, b!, c!]) expect(node.received.map((m) => (m.type === 'event' ? m.event.jobId : 'progress')).sort()).toEqual(['job-1', 'marker', 'progress']);
    expect(errors).toEqual([]);
  });

  it('keeps the order of one job’s events published by one node, thousands of them', async () => {
    const [a, b] = await nodes(2);
    for (let seq = 1; seq <= 3_000; seq++) a!.bus.publish(eventMessage('busy', seq));
    await eventually(() => b!.received.length === 3_000, 10_000, 'all 3,000 on node b');
    expect(seqsOf(b!.received, 'busy')).toEqual(Array.from({ length: 3_000 }, (_, i) => i + 1));
  });

  it('carries a burst of progress as few Redis messages: the newest per job, with each job’s transitions in order between them', async () => {
    const prefix = `test-${randomUUID()}`;
    const [a, b] = await nodes(2, prefix);
    const wire = new Redis(redisUrl!);
    const redisMessages: Buffer[] = [];
    wire.on('messageBuffer', (_channel: Buffer, data: Buffer) => redisMessages.push(data));
    await wire.subscribe(`${prefix}:bus`);
    try {
      const jobs = Array.from({ length: 50 }, (_, i) => `job-${i}`);
      // 100 ticks for each of 50 jobs, in one go; every tenth job has two transitions half-way.
      for (let done = 1; done <= 100; done++) {
        for (const [i, jobId] of jobs.entries()) {
          a!.bus.publish(progressMessage(jobId, done > 50 && i % 10 === 0 ? 3 : 1, done));
          if (done === 50 && i % 10 === 0) {
            a!.bus.publish(eventMessage(jobId, 2));
            a!.bus.publish(eventMessage(jobId, 3));
          }
        }
      }
      a!.bus.publish(eventMessage('marker', 1));
      await eventually(() => b!.received.some((m) => m.type === 'event' && m.event.jobId === 'marker'), 5_000, 'the burst on node b');
      for (const [i, jobId] of jobs.entries()) expect(historyOf(b!.received, jobId)).toEqual(i % 10 === 0 ? ['p50', 'e2', 'e3', 'p100'] : ['p100']);
      // The publishing node's own listeners get every tick, synchronously, as before.
      expect(historyOf(a!.received, 'job-1')).toHaveLength(100);
      await eventually(() => redisMessages.some((data) => data.includes('marker')), 5_000, 'the marker on the raw channel');
      expect(redisMessages).toHaveLength(1); // 5,011 publishes, one Redis message
      expect(errors).toEqual([]);
    } finally {
      wire.disconnect();
    }
  });

  it('puts one job’s events from two nodes back in seq order when they arrive crossed', async () => {
    const [a, b, watcher] = await nodes(3);
    a!.bus.publish(eventMessage('shared', 1));
    await eventually(() => watcher!.received.length === 1 && b!.received.length === 1, 5_000, 'seq 1 everywhere');
    // Node b committed seq 3 after node a committed seq 2, but b's publish reaches Redis first.
    b!.bus.publish(eventMessage('shared', 3));
    a!.bus.publish(eventMessage('shared', 2));
    for (const node of [a!, b!, watcher!]) await eventually(() => seqsOf(node.received, 'shared').length === 3, 5_000, 'seq 2 and 3');
    for (const node of [a!, b!, watcher!]) expect(seqsOf(node.received, 'shared')).toEqual([1, 2, 3]);
  });

  it('lets an event through after the gap wait when its predecessor never comes, and drops a late replay', async () => {
    const [a, b] = await nodes(2, `test-${randomUUID()}`, 100);
    a!.bus.publish(eventMessage('gappy', 1));
    a!.bus.publish(eventMessage('gappy', 3)); // seq 2 was committed by a node that died before publishing
    await eventually(() => seqsOf(b!.received, 'gappy').length === 2, 5_000, 'seq 3 after the wait');
    a!.bus.publish(eventMessage('gappy', 2));
    a!.bus.publish(eventMessage('gappy', 4));
    await eventually(() => seqsOf(b!.received, 'gappy').includes(4), 5_000, 'seq 4');
    expect(seqsOf(b!.received, 'gappy')).toEqual([1, 3, 4]);
    expect(seqsOf(a!.received, 'gappy')).toEqual([1, 3, 4]);
  });

  it('isolates deployments by prefix', async () => {
    const [mine] = await nodes(1);
    const [theirs, theirOther] = await nodes(2);
    theirs!.bus.publish(eventMessage('elsewhere', 1));
    await eventually(() => theirOther!.received.length === 1, 5_000, 'delivery within the other prefix');
    mine!.bus.publish(eventMessage('here', 1));
    expect(mine!.received.map((m) => (m.type === 'event' ? m.event.jobId : null))).toEqual(['here']);
  });

  it('a listener that throws is reported and the others still get the message', async () => {
    const [a] = await nodes(1);
    const seen: BusMessage[] = [];
    a!.bus.subscribe(() => {
      throw new Error('listener broke');
    });
    a!.bus.subscribe((m) => seen.push(m));
    a!.bus.publish(eventMessage('x', 1));
    expect(seen).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ message: 'listener broke' })]);
  });

  it('answers ping and ready, and refuses to start against a Redis that is not there', async () => {
    const [a] = await nodes(1);
    expect(a!.bus.isReady()).toBe(true);
    await a!.bus.ping();
    await a!.bus.close();
    expect(a!.bus.isReady()).toBe(false);
    await expect(createRedisBus({ url: 'redis://127.0.0.1:1', prefix: 'none', connectTimeoutMs: 1_000, onError: () => {} })).rejects.toMatchObject({
      code: 'NOT_READY',
      message: expect.stringContaining('--redis'),
    });
  });
});
