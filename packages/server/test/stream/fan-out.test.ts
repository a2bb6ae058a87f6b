import type { Channel } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { LocalBus } from '../../src/bus/local-bus.js';
import type { ChannelAccess } from '../../src/http/stream/channel-access.js';
import type { Outgoing } from '../../src/http/stream/outbox.js';
import { StreamHub } from '../../src/http/stream/stream-hub.js';
import { Subscription } from '../../src/http/stream/subscription.js';

function accessOf(channel: Channel): ChannelAccess {
  if (channel.startsWith('job:')) return { channel, owner: undefined, jobId: channel.slice(4), includes: (job) => job.id === channel.slice(4), carriesNotifications: false };
  if (channel.startsWith('user:')) return { channel, owner: channel.slice(5), jobId: undefined, includes: (job) => job.owner === channel.slice(5), carriesNotifications: true };
  return { channel, owner: undefined, jobId: undefined, includes: () => true, carriesNotifications: false };
}

/** A live subscription (its catch-up already answered) that counts what reaches it. */
function counting(hub: StreamHub, channel: Channel, received: Map<Channel, number>): void {
  const subscription = new Subscription(accessOf(channel), ({ message }) => {
    if (message.type === 'progress') received.set(channel, (received.get(channel) ?? 0) + 1);
  });
  hub.add(subscription);
  subscription.open({ replayed: [], replayedThrough: 0, pages: [{ type: 'snapshot', channel, jobs: [], seq: 0 }] });
}

const progressOf = (jobId: string, done: number) => ({ jobId, seq: 1, at: done, job: { done, total: 100, percent: done, unit: null, currentStep: null, message: null, eta: null, metrics: {}, counts: null, updatedAt: done } }) as never;

describe('fan-out', () => {
  it('a bus message reaches only the subscribers of its job, its owner and `jobs`, however many others follow other channels', async () => {
    const bus = new LocalBus((error) => {
      throw error;
    });
    const timings: string[] = [];
    for (const idle of [10, 10_000]) {
      const hub = new StreamHub(bus);
      const received = new Map<Channel, number>();
      for (let i = 0; i < idle; i++) counting(hub, `job:idle-${i}`, received);
      for (let i = 0; i < idle / 10; i++) counting(hub, `user:someone-${i}`, received);
      for (const channel of ['job:hot', 'user:alice', 'jobs'] as const) counting(hub, channel, received);
      const started = performance.now();
      for (let done = 1; done <= 20_000; done++) bus.publish({ type: 'progress', owner: 'alice', parentId: null, update: progressOf('hot', done) });
      const elapsedMs = performance.now() - started;
      timings.push(`${idle} idle channels: ${((elapsedMs / 20_000) * 1_000).toFixed(2)} µs per message`);
      expect(Object.fromEntries(received)).toEqual({ 'job:hot': 20_000, 'user:alice': 20_000, jobs: 20_000 });
      hub.close();
    }
    console.log(`fan-out to 3 interested channels: ${timings.join(', ')}`);
    await bus.close();
  });

  it('the subscribers of one channel share one wire message, so it is serialized once per channel, not per subscriber', async () => {
    const bus = new LocalBus((error) => {
      throw error;
    });
    const hub = new StreamHub(bus);
    const received: Array<{ channel: Channel; out: Outgoing }> = [];
    for (const channel of ['jobs', 'jobs', 'jobs', 'job:hot', 'job:hot'] as const) {
      const subscription = new Subscription(accessOf(channel), (out) => received.push({ channel, out }));
      hub.add(subscription);
      subscription.open({ replayed: [], replayedThrough: 0, pages: [{ type: 'snapshot', channel, jobs: [], seq: 0 }] });
    }
    received.length = 0;
    bus.publish({ type: 'progress', owner: null, parentId: null, update: progressOf('hot', 1) });
    expect(received).toHaveLength(5);
    const perChannel = (channel: Channel) => new Set(received.filter((r) => r.channel === channel).map((r) => r.out));
    expect(perChannel('jobs').size).toBe(1);
    expect(perChannel('job:hot').size).toBe(1);
    expect([...perChannel('jobs')][0]!.message).toMatchObject({ type: 'progress', channel: 'jobs', jobId: 'hot' });
    hub.close();
    await bus.close();
  });
});
