import type { JobStatus } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import type { HeadwayClient, TransportKind, WatchUpdate } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { proxiedWatchers } from '../support/proxied-watchers.js';
import { waitFor } from '../support/wait.js';

/** One status a watcher was shown: by a transition event, or by the job's state in a list or snapshot. */
interface Sighting {
  status: JobStatus;
  via: 'event' | 'state';
  /** The transport the watch was on when the update came. */
  transport: TransportKind | null;
  seq: number;
}

/**
 * What a watcher of many jobs lives through, job by job: each status it was shown, from a
 * transition event or, when no event said so (a polled list, a snapshot), from the job's state.
 * An old transition delivered again shows up as a status repeated out of order.
 */
class StatusTimeline {
  private readonly byJob = new Map<string, Sighting[]>();
  readonly updates: Array<WatchUpdate & { transport: TransportKind | null }> = [];
  readonly errors: Error[] = [];
  readonly stop: () => void;

  constructor(private readonly client: HeadwayClient, target: 'jobs' | { user: string }) {
    this.stop = client.watch(target, (update) => this.record(update), { onError: (error) => this.errors.push(error) });
  }

  sightings(jobId: string): Sighting[] {
    return this.byJob.get(jobId) ?? [];
  }

  of(jobId: string): JobStatus[] {
    return this.sightings(jobId).map((sighting) => sighting.status);
  }

  last(jobId: string): JobStatus | undefined {
    return this.of(jobId).at(-1);
  }

  private record(update: WatchUpdate): void {
    const transport = this.client.connection.get().transport;
    this.updates.push({ ...update, transport });
    // An event's attached job may already be past it (an error event comes with the failed job): read the event.
    // Any update may carry events: a resume delivers those it replays with the state that follows them.
    for (const event of update.events) {
      if (event.kind === 'created') this.push(event.jobId, { status: 'queued', via: 'event', transport, seq: event.seq });
      if (event.kind === 'transition') this.push(event.jobId, { status: event.to, via: 'event', transport, seq: event.seq });
    }
    if (update.cause === 'event') return;
    for (const job of update.jobs) if (this.last(job.id) !== job.status) this.push(job.id, { status: job.status, via: 'state', transport, seq: job.seq });
  }

  private push(jobId: string, sighting: Sighting): void {
    const sightings = this.byJob.get(jobId) ?? [];
    sightings.push(sighting);
    this.byJob.set(jobId, sightings);
  }
}

describe('a many-job watch handed over from a fallback to WebSocket', () => {
  const live = liveServerPerSuite();
  const { watcherBehind, cleanups } = proxiedWatchers(live, { pollIntervalMs: 100, upgradeProbe: { baseMs: 100, maxMs: 400 } });

  it.each<TransportKind>(['polling', 'sse'])(
    "a 'jobs' watch that starts on %s and moves to WebSocket gets each transition once and in order, and none from before it started",
    async (fallback) => {
      // History from before the watch: finished jobs whose transitions the watcher must not get.
      const old: string[] = [];
      for (let i = 0; i < 3; i++) {
        const job = await live.admin.createJob({ type: `old-${fallback}` });
        await live.admin.start(job.id);
        await live.admin.complete(job.id);
        old.push(job.id);
      }
      const rules = { refuseUpgrades: true, refusePaths: fallback === 'polling' ? ['/v1/stream/sse'] : [] };
      const { watcher } = await watcherBehind(rules);
      const timeline = new StatusTimeline(watcher, 'jobs');
      cleanups.push(timeline.stop);
      await waitFor(`the first list over ${fallback}`, () => timeline.updates.length > 0 && watcher.connection.get().transport === fallback);

      // On the fallback: each change is seen before the next, so a poll folds none of them.
      const seen = (jobId: string, status: JobStatus) => waitFor(`${jobId} ${status}`, () => timeline.last(jobId) === status);
      const a = await live.admin.createJob({ type: `handover-${fallback}` });
      await seen(a.id, 'queued');
      await live.admin.start(a.id);
      await seen(a.id, 'running');
      const b = await live.admin.createJob({ type: `handover-${fallback}` });
      await seen(b.id, 'queued');
      await live.admin.start(b.id);
      await seen(b.id, 'running');

      rules.refuseUpgrades = false;
      // Changes made once the WebSocket's snapshot is in: none falls between its cursor and its list.
      await waitFor('the snapshot over WebSocket', () => timeline.updates.some((update) => update.transport === 'websocket' && update.cause === 'snapshot'));
      await live.admin.complete(a.id);
      await seen(a.id, 'completed');
      await live.admin.fail(b.id, { message: 'boom' }, { retry: false });
      await seen(b.id, 'failed');
      const c = await live.admin.createJob({ type: `handover-${fallback}` });
      await live.admin.start(c.id);
      await seen(c.id, 'running');

      expect(timeline.of(a.id)).toEqual(['queued', 'running', 'completed']);
      expect(timeline.of(b.id)).toEqual(['queued', 'running', 'failed']);
      expect(timeline.of(c.id)).toEqual(['queued', 'running']);
      for (const id of old) expect(timeline.of(id)).toEqual(['completed']);
      expect(timeline.updates.filter((update) => update.cause === 'resync')).toEqual([]);
      expect(timeline.errors).toEqual([]);
    },
  );

  it.each<[TransportKind, 'jobs' | { user: string }]>([
    ['polling', 'jobs'],
    ['polling', { user: 'erin' }],
    ['sse', 'jobs'],
  ])('on %s, a watch of %j gets no transition twice and misses none made after the switch, while jobs keep changing through it', async (fallback, target) => {
    const owner = typeof target === 'string' ? undefined : target.user;
    const rules = { refuseUpgrades: true, refusePaths: fallback === 'polling' ? ['/v1/stream/sse'] : [] };
    const { watcher } = await watcherBehind(rules);
    const timeline = new StatusTimeline(watcher, target);
    cleanups.push(timeline.stop);
    await waitFor(`the first list over ${fallback}`, () => timeline.updates.length > 0 && watcher.connection.get().transport === fallback);

    // Jobs go queued → running → completed one call after another, before, during and after the switch.
    const made: Array<{ jobId: string; status: JobStatus; afterSwitch: boolean }> = [];
    let driving = true;
    const driver = (async () => {
      while (driving) {
        const step = async (status: JobStatus, call: () => Promise<{ id: string }>) => {
          const afterSwitch = watcher.connection.get().transport === 'websocket';
          made.push({ jobId: (await call()).id, status, afterSwitch });
        };
        let id = '';
        await step('queued', async () => (({ id } = await live.admin.createJob({ type: `busy-${fallback}`, owner })), { id }));
        await step('running', () => live.admin.start(id));
        await step('completed', () => live.admin.complete(id));
      }
    })();
    // Stopped before the server closes, also when an assertion below fails.
    cleanups.push(() => ((driving = false), driver));
    await waitFor('transitions seen over the fallback', () => made.filter((m) => timeline.last(m.jobId) === m.status).length >= 6);
    rules.refuseUpgrades = false;
    await waitFor('the handover to WebSocket', () => watcher.connection.get().transport === 'websocket');
    await waitFor('transitions made after the switch', () => made.filter((m) => m.afterSwitch).length >= 9);
    driving = false;
    await driver;
    await waitFor('the last job completed', () => timeline.last(made.at(-1)!.jobId) === 'completed');

    for (const jobId of new Set(made.map((m) => m.jobId))) {
      const truth = made.filter((m) => m.jobId === jobId);
      const sightings = timeline.sightings(jobId);
      const shown = [...new Set(sightings.map((sighting) => sighting.status))];
      // The fallback may fold states between two lists, but nothing is shown out of order...
      expect(shown, jobId).toEqual(truth.map((m) => m.status).filter((status) => shown.includes(status)));
      // ...no event comes twice, and none on WebSocket announces what the fallback had shown...
      const eventSeqs = sightings.filter((sighting) => sighting.via === 'event').map((sighting) => sighting.seq);
      expect(eventSeqs, jobId).toEqual([...new Set(eventSeqs)].sort((x, y) => x - y));
      const onFallback = new Set(sightings.filter((sighting) => sighting.transport === fallback).map((sighting) => sighting.status));
      expect(sightings.filter((sighting) => sighting.via === 'event' && sighting.transport === 'websocket' && onFallback.has(sighting.status)), jobId).toEqual([]);
      // ...and once on WebSocket every transition arrives.
      for (const m of truth.filter((m) => m.afterSwitch)) expect(shown, `${jobId} ${m.status}`).toContain(m.status);
    }
    expect(timeline.updates.filter((update) => update.cause === 'resync')).toEqual([]);
    expect(timeline.errors).toEqual([]);
  });

  it.each([300, 1_200])('history from before the watch (a job with %i children) is never delivered after a handover from polling', async (children) => {
    await live.admin.createJob({ type: 'history', children: Array.from({ length: children }, (_, i) => ({ type: 'history-child', title: `child ${i}` })) });
    const before = await live.admin.listJobs({ limit: 1 });
    const rules = { refuseUpgrades: true, refusePaths: ['/v1/stream/sse'] };
    const { watcher } = await watcherBehind(rules);
    const timeline = new StatusTimeline(watcher, 'jobs');
    cleanups.push(timeline.stop);
    await waitFor('the first list by polling', () => timeline.updates.length > 0 && watcher.connection.get().transport === 'polling');
    const job = await live.admin.createJob({ type: 'history-new' });
    await waitFor('the new job by polling', () => timeline.last(job.id) === 'queued');
    rules.refuseUpgrades = false;
    await waitFor('the handover to WebSocket', () => watcher.connection.get().transport === 'websocket');
    await live.admin.start(job.id);
    await waitFor('the new job running', () => timeline.last(job.id) === 'running');

    const delivered = timeline.updates.flatMap((update) => update.events);
    expect(delivered.filter((event) => (event.cursor ?? 0) <= before.eventCursor!)).toEqual([]);
    expect(delivered.map((event) => `${event.jobId} ${event.kind}`)).toEqual([`${job.id} transition`]);
    expect(timeline.updates.filter((update) => update.cause === 'resync')).toEqual([]);
  });

  it('a polling watch whose connection drops reconnects over WebSocket from its last list, not from the start', async () => {
    const rules = { refuseUpgrades: true, refusePaths: ['/v1/stream/sse'] };
    const { proxy, watcher } = await watcherBehind(rules, { upgradeProbe: false });
    const timeline = new StatusTimeline(watcher, 'jobs');
    cleanups.push(timeline.stop);
    await waitFor('the first list by polling', () => timeline.updates.length > 0);
    const job = await live.admin.createJob({ type: 'poll-drop' });
    await waitFor('the new job by polling', () => timeline.last(job.id) === 'queued');
    await live.admin.start(job.id);
    await waitFor('the running job by polling', () => timeline.last(job.id) === 'running' && watcher.connection.get().transport === 'polling');
    const shownByPolling = timeline.updates.length;
    rules.refuseUpgrades = false;
    proxy.block();
    await waitFor('the reconnecting state', () => watcher.connection.get().status === 'reconnecting');
    await live.admin.complete(job.id);
    proxy.unblock();
    await waitFor('the completion', () => timeline.last(job.id) === 'completed');
    expect(watcher.connection.get().transport).toBe('websocket');
    // After the drop: the completion once, as an event; nothing from before it.
    const events = timeline.updates.slice(shownByPolling).flatMap((update) => update.events);
    expect(events.map((event) => `${event.jobId === job.id ? 'job' : 'other'} ${event.kind === 'transition' ? event.to : event.kind}`)).toEqual(['job completed']);
    expect(timeline.of(job.id)).toEqual(['queued', 'running', 'completed']);
  });
});
