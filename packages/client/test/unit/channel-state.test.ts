import { describe, expect, it } from 'vitest';
import { ChannelState } from '../../src/live/channel-state.js';
import { makeJob, transition } from '../support/jobs.js';

describe('ChannelState (merge, de-duplication, resume point)', () => {
  it('a job channel starts from the snapshot and resumes after its seq', () => {
    const state = new ChannelState('job:a');
    const update = state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 3 })], seq: 3 });
    expect(update?.job?.id).toBe('a');
    expect(update?.cause).toBe('snapshot');
    expect(state.resumeAfter).toBe(3);
  });

  it('applies each durable event once, however often it is replayed', () => {
    const state = new ChannelState('job:a');
    state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 3 })], seq: 3 });
    const event = transition('a', 4, 'running', 'paused');
    const first = state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 4, event });
    const replay = state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 4, event });
    const older = state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 2, event: transition('a', 2, 'queued', 'running') });
    expect(first?.events).toEqual([event]);
    expect(first?.job?.status).toBe('paused');
    expect(replay).toBeNull();
    expect(older).toBeNull();
    expect(state.resumeAfter).toBe(4);
  });

  it('replayed events after a resume snapshot are still delivered in order', () => {
    const state = new ChannelState('job:a');
    state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 3 })], seq: 3 });
    // The server may send the newest state before the replay: the replay must not be dropped.
    state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 6, status: 'running' })], seq: 6 });
    const delivered = [4, 5, 6].map((seq) => state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq, event: transition('a', seq, 'running', 'running') }));
    expect(delivered.map((u) => u?.events[0]?.seq)).toEqual([4, 5, 6]);
    expect(state.current?.job?.seq).toBe(6);
  });

  it('a resume delivers the events it replays together with the newest state, never a finished job at its old progress', () => {
    const state = new ChannelState('job:a');
    state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 3, status: 'running', percent: 30, done: 181 })], seq: 3 });
    expect(state.subscribing()).toBe(3); // the connection dropped; the hub resubscribes after 3
    // The job completed meanwhile: the replayed completion carries no progress.
    const completion = transition('a', 4, 'running', 'completed');
    expect(state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 4, event: completion })).toBeNull();
    const newest = makeJob({ id: 'a', seq: 4, status: 'completed', percent: 100, done: 600, updatedAt: completion.at });
    const update = state.apply({ type: 'snapshot', channel: 'job:a', jobs: [newest], seq: 4 });
    expect(update?.events.map((event) => event.seq)).toEqual([4]);
    expect(update?.job).toMatchObject({ status: 'completed', percent: 100, done: 600 });
    // Live again: the next event is delivered on its own.
    expect(state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 5, event: transition('a', 5, 'completed', 'queued') })?.events).toHaveLength(1);
  });

  it('a resync drops the events replayed before it: its state replaces everything', () => {
    const state = new ChannelState('jobs');
    state.apply({ type: 'snapshot', channel: 'jobs', jobs: [makeJob({ id: 'a', seq: 3 })], seq: 100 });
    state.subscribing();
    state.apply({ type: 'event', channel: 'jobs', jobId: 'a', seq: 4, cursor: 101, event: transition('a', 4, 'running', 'paused') });
    const update = state.apply({ type: 'resync', channel: 'jobs', jobs: [makeJob({ id: 'a', seq: 9 })], seq: 140, reason: 'too much missed' });
    expect(update).toMatchObject({ cause: 'resync', events: [] });
  });

  it('a first subscribe (no resume point) delivers events as they come', () => {
    const state = new ChannelState('job:a');
    expect(state.subscribing()).toBeNull();
    state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 3 })], seq: 3 });
    expect(state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 4, event: transition('a', 4, 'running', 'paused') })?.events).toHaveLength(1);
  });

  it('takes the job attached to an event, and patches the status when none is attached', () => {
    const state = new ChannelState('job:a');
    state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 1 })], seq: 1 });
    const attached = state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 2, event: transition('a', 2, 'running', 'paused'), job: makeJob({ id: 'a', seq: 2, status: 'paused', percent: 40 }) });
    expect(attached?.job).toMatchObject({ status: 'paused', percent: 40 });
    const patched = state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 3, event: transition('a', 3, 'paused', 'queued') });
    expect(patched?.job).toMatchObject({ status: 'queued', seq: 3, percent: 40 });
  });

  it('ignores progress ticks older than the state it has', () => {
    const state = new ChannelState('job:a');
    state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 5, updatedAt: 2_000, done: 50 })], seq: 5 });
    const stale = { type: 'progress', channel: 'job:a', jobId: 'a', seq: 4, update: { jobId: 'a', seq: 4, at: 1_900, job: { done: 40, updatedAt: 1_900 } } } as const;
    const late = { type: 'progress', channel: 'job:a', jobId: 'a', seq: 5, update: { jobId: 'a', seq: 5, at: 1_950, job: { done: 45, updatedAt: 1_950 } } } as const;
    const fresh = { type: 'progress', channel: 'job:a', jobId: 'a', seq: 5, update: { jobId: 'a', seq: 5, at: 2_100, job: { done: 60, updatedAt: 2_100 } } } as const;
    expect(state.apply(stale as never)).toBeNull();
    expect(state.apply(late as never)).toBeNull();
    expect(state.apply(fresh as never)?.job?.done).toBe(60);
  });

  it('a resync replaces the whole state and the resume point', () => {
    const state = new ChannelState('jobs');
    state.apply({ type: 'snapshot', channel: 'jobs', jobs: [makeJob({ id: 'a' }), makeJob({ id: 'b' })], seq: 10 });
    const update = state.apply({ type: 'resync', channel: 'jobs', jobs: [makeJob({ id: 'c', seq: 7 })], seq: 40, reason: 'too far behind' });
    expect(update?.cause).toBe('resync');
    expect(update?.jobs.map((j) => j.id)).toEqual(['c']);
    expect(state.resumeAfter).toBe(40);
  });

  it('a many-job channel resumes from the store cursor, not a job seq', () => {
    const state = new ChannelState('jobs');
    state.apply({ type: 'snapshot', channel: 'jobs', jobs: [makeJob({ id: 'a', seq: 1 })], seq: 100 });
    state.apply({ type: 'event', channel: 'jobs', jobId: 'a', seq: 2, cursor: 105, event: transition('a', 2, 'running', 'completed', 105) });
    const created = state.apply({ type: 'event', channel: 'jobs', jobId: 'b', seq: 1, cursor: 106, event: { kind: 'created', jobId: 'b', seq: 1, at: 5 }, job: makeJob({ id: 'b', status: 'queued' }) });
    expect(state.resumeAfter).toBe(106);
    expect(created?.jobs.map((j) => [j.id, j.status])).toEqual([
      ['a', 'completed'],
      ['b', 'queued'],
    ]);
  });

  it('a polled list stands for the events it reflects: a stream taking over from its cursor does not deliver them again', () => {
    const state = new ChannelState('jobs');
    state.apply({ type: 'polled', channel: 'jobs', jobs: [makeJob({ id: 'a', seq: 1, status: 'queued' })], cursor: 100 });
    const polled = state.apply({ type: 'polled', channel: 'jobs', jobs: [makeJob({ id: 'a', seq: 2, status: 'running' })], cursor: 104 });
    expect(polled?.cause).toBe('snapshot');
    expect(state.resumeAfter).toBe(104);
    // The stream replays after 104: a#2 committed between the cursor and the list is shown already; a#3 is news.
    const shown = state.apply({ type: 'event', channel: 'jobs', jobId: 'a', seq: 2, cursor: 105, event: transition('a', 2, 'queued', 'running', 105) });
    const news = state.apply({ type: 'event', channel: 'jobs', jobId: 'a', seq: 3, cursor: 106, event: transition('a', 3, 'running', 'completed', 106) });
    expect(shown).toBeNull();
    expect(news?.events.map((event) => event.seq)).toEqual([3]);
    expect(state.resumeAfter).toBe(106);
  });

  it('a polled list without a cursor (an older server) leaves no resume point, so the stream starts from a snapshot', () => {
    const state = new ChannelState('jobs');
    state.apply({ type: 'polled', channel: 'jobs', jobs: [makeJob({ id: 'a', seq: 1 })], cursor: null });
    expect(state.resumeAfter).toBeNull();
  });

  it('each update is a new object, so React can compare snapshots by identity', () => {
    const state = new ChannelState('job:a');
    const first = state.apply({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 1 })], seq: 1 });
    const second = state.apply({ type: 'event', channel: 'job:a', jobId: 'a', seq: 2, event: transition('a', 2, 'running', 'paused') });
    expect(second).not.toBe(first);
    expect(second?.jobs).not.toBe(first?.jobs);
    expect(first?.job?.status).toBe('running');
  });
});
