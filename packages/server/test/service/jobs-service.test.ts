import type { BusMessage } from '../../src/bus/bus.js';
import { describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../src/service/actor.js';
import { eventually, testNodePerTest } from '../support/node.js';

const startNode = testNodePerTest();
const alice: Actor = { kind: 'user', userId: 'alice' };
const bob: Actor = { kind: 'user', userId: 'bob' };


describe('jobs service', () => {
  it('a first progress report starts a queued reported job and answers the control intent', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const job = await jobs.create({ type: 'report.only', total: 200, unit: 'rows' }, SYSTEM);
    const answer = await jobs.report(job.id, { done: 50 }, SYSTEM);
    expect(answer.control).toBe('run');
    const running = await jobs.get(job.id, SYSTEM);
    expect(running).toMatchObject({ status: 'running', done: 50, percent: 25 });
    await jobs.act(job.id, 'pause', {}, SYSTEM);
    expect((await jobs.report(job.id, { done: 60 }, SYSTEM)).control).toBe('pause');
  });

  it('a job type named like an Object property ("constructor", "toString") reports progress and reaches milestones like any other', async () => {
    const node = await startNode({ config: { notify: { milestones: { 'video.render': [10, 90] } } as never } });
    const { jobs } = node.headway;
    for (const type of ['constructor', 'toString', '__proto__', 'video.render']) {
      const job = await jobs.create({ type, total: 100 }, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
      expect((await jobs.report(job.id, { done: 60 }, SYSTEM)).control).toBe('run');
      const milestones = (await jobs.events(job.id, 0, 100, SYSTEM)).filter((e) => e.kind === 'milestone').map((e) => (e as { percent: number }).percent);
      expect(milestones, type).toEqual(type === 'video.render' ? [10] : [25, 50]);
    }
  });

  it('a custom metric named "__proto__" is refused with a message saying so, not dropped in silence; "constructor" and "toString" are kept', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const job = await jobs.create({ type: 'metrics', total: 100 }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    const metrics = JSON.parse('{"rows": 4, "__proto__": 3}') as Record<string, number>;
    await expect(jobs.report(job.id, { done: 1, metrics }, SYSTEM)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('metric "__proto__"') });
    await jobs.report(job.id, { done: 2, metrics: { constructor: 2, toString: 1 } }, SYSTEM);
    expect((await jobs.get(job.id, SYSTEM)).metrics.custom).toEqual({ constructor: 2, toString: 1 });
  });

  it('progress ticks are coalesced: many reports cost few store writes, and the newest value is persisted', async () => {
    const node = await startNode({ config: { flushIntervalMs: 50 } });
    const { jobs, store, stats } = node.headway;
    const job = await jobs.create({ type: 'ticks', total: 10_000 }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    const flushesBefore = stats.flushes;
    for (let done = 1; done <= 10_000; done++) await jobs.report(job.id, { done }, SYSTEM);
    await eventually(async () => (await store.jobs.get(job.id))?.done === 10_000, 5_000, 'newest tick persisted');
    expect(stats.flushes - flushesBefore).toBeLessThan(100);
  });

  it('durable events reach bus subscribers in per-job seq order, after they are stored', async () => {
    const node = await startNode();
    const { jobs, bus, store } = node.headway;
    const seen: number[] = [];
    const storedAtAnnounce: boolean[] = [];
    const job = await jobs.create({ type: 'ordered', steps: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }, SYSTEM);
    bus.subscribe((m: BusMessage) => {
      if (m.type !== 'event' || m.event.jobId !== job.id) return;
      seen.push(m.event.seq);
      void store.jobs.events(job.id, m.event.seq - 1, 1).then((e) => storedAtAnnounce.push(e.length === 1));
    });
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await Promise.all([jobs.report(job.id, { step: 'a' }, SYSTEM), jobs.report(job.id, { step: 'b' }, SYSTEM), jobs.report(job.id, { step: 'c' }, SYSTEM)]);
    await jobs.act(job.id, 'complete', { result: { ok: 1 } }, SYSTEM);
    await eventually(() => storedAtAnnounce.length === seen.length && seen.length > 0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    expect(storedAtAnnounce.every(Boolean)).toBe(true);
  });

  it('a user sees and controls only the jobs it owns; other jobs are "not found"', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const mine = await jobs.create({ type: 'owned' }, alice);
    expect(mine.owner).toBe('alice');
    await expect(jobs.get(mine.id, bob)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(jobs.act(mine.id, 'cancel', {}, bob)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(jobs.report(mine.id, { done: 1 }, bob)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(jobs.create({ type: 'owned', owner: 'alice' }, bob)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await jobs.create({ type: 'owned' }, bob);
    const listed = await jobs.list({ owner: 'alice' }, bob);
    expect(listed.items.every((j) => j.owner === 'bob')).toBe(true);
    expect((await jobs.get(mine.id, alice)).id).toBe(mine.id);
  });

  it('an illegal action is rejected with the job, its status and what is allowed, and changes nothing', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const job = await jobs.create({ type: 'done' }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await jobs.act(job.id, 'complete', {}, SYSTEM);
    const before = await jobs.get(job.id, SYSTEM);
    const error = await jobs.act(job.id, 'retry', {}, SYSTEM).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(String((error as Error).message)).toContain(job.id);
    expect(String((error as Error).message)).toContain('completed');
    expect(await jobs.get(job.id, SYSTEM)).toEqual(before);
  });

  it('a batch rolls up its children: weighted percent, counts and final status', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const batch = await jobs.create({ type: 'batch', children: [{ type: 'file', weight: 3 }, { type: 'file', weight: 1 }] }, SYSTEM);
    const [heavy, light] = (await jobs.list({ parentId: batch.id, sort: 'createdAt', limit: 10 }, SYSTEM)).items;
    await jobs.report(heavy!.id, { percent: 100 }, SYSTEM);
    await jobs.act(heavy!.id, 'complete', {}, SYSTEM);
    // The report's 100% can roll up before the completion does: wait for both.
    const partly = await eventually(async () => {
      const parent = await jobs.get(batch.id, SYSTEM);
      return parent.percent === 75 && parent.counts?.completed === 1 ? parent : null;
    }, 5_000, 'parent at 75% with one child completed');
    expect(partly.counts).toMatchObject({ total: 2, completed: 1, pending: 1 });
    await jobs.act(light!.id, 'start', {}, SYSTEM);
    await jobs.act(light!.id, 'fail', { error: { message: 'bad file' }, retry: false }, SYSTEM);
    const done = await eventually(async () => {
      const parent = await jobs.get(batch.id, SYSTEM);
      return parent.status === 'completed' ? parent : null;
    }, 5_000, 'parent final');
    expect(done.counts).toMatchObject({ completed: 1, failed: 1 });
  });

  it('before any progress, a started job shows an ETA from earlier jobs of its type', async () => {
    let clock = 1_000_000;
    const node = await startNode({ headway: { now: () => clock } });
    const { jobs } = node.headway;
    for (const minutes of [2, 3, 4]) {
      const done = await jobs.create({ type: 'render' }, SYSTEM);
      await jobs.act(done.id, 'start', {}, SYSTEM);
      clock += minutes * 60_000;
      await jobs.act(done.id, 'complete', {}, SYSTEM);
    }
    const fresh = await jobs.create({ type: 'render' }, SYSTEM);
    await jobs.act(fresh.id, 'start', {}, SYSTEM);
    const withEta = await eventually(async () => (await jobs.get(fresh.id, SYSTEM)).eta, 5_000, 'a prior ETA');
    expect(withEta.method).toBe('prior');
    expect(withEta.remainingMs).toBeGreaterThan(60_000);
    expect(withEta.remainingMs).toBeLessThanOrEqual(240_000);
  });

  it('long-poll returns at the next change, or at the timeout with the same state', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const job = await jobs.create({ type: 'poll' }, SYSTEM);
    const quiet = Date.now();
    const unchanged = await jobs.waitForChange(job.id, job.seq, 200, SYSTEM);
    expect(Date.now() - quiet).toBeGreaterThanOrEqual(150);
    expect(unchanged.seq).toBe(job.seq);
    const waiting = jobs.waitForChange(job.id, job.seq, 10_000, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    expect((await waiting).status).toBe('running');
  });
});
