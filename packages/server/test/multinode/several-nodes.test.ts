import type { Job, JobEvent, ServerMessage } from '@headway/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/node.js';
import { serviceUrl } from '../support/services.js';
import { eventSeqsOf, openSubscriber, transitionsOf, type Subscriber } from '../stream/ws-client.js';
import { Cluster, type NodeHandle } from './fixtures/cluster.js';

const pgUrl = serviceUrl('pgUrl');
const redisUrl = serviceUrl('redisUrl');

async function createJob(node: NodeHandle, body: Record<string, unknown>): Promise<Job> {
  const res = await node.request<Job>('POST', '/v1/jobs', body);
  expect(res.status).toBe(201);
  return res.body;
}

async function act(node: NodeHandle, jobId: string, action: string, body: unknown = {}): Promise<void> {
  const res = await node.request('POST', `/v1/jobs/${jobId}/${action}`, body);
  expect(res.status, `${action} ${jobId}: ${JSON.stringify(res.body)}`).toBe(200);
}

async function storedEvents(node: NodeHandle, jobId: string): Promise<JobEvent[]> {
  return (await node.request<{ items: JobEvent[] }>('GET', `/v1/jobs/${jobId}/events?limit=1000`)).body.items;
}

function storedTransitions(events: JobEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'transition' ? [e.to] : []));
}

/** A reported job pauses in two steps: asked (control intent), then acknowledged by its worker asking again. */
async function pauseAndResume(node: NodeHandle, jobId: string): Promise<void> {
  await act(node, jobId, 'pause');
  await act(node, jobId, 'pause');
  await act(node, jobId, 'resume');
  await act(node, jobId, 'start');
}

/** Walks a reported job through start, progress, pause, resume and an end, through `node`. */
async function report(node: NodeHandle, jobId: string, end: 'complete' | 'fail'): Promise<void> {
  await act(node, jobId, 'start');
  for (let done = 1; done <= 3; done++) expect((await node.request('POST', `/v1/jobs/${jobId}/progress`, { done, total: 4, step: `part ${done}` })).status).toBe(200);
  await pauseAndResume(node, jobId);
  await act(node, jobId, end, end === 'fail' ? { error: { message: 'disk full' }, retry: false } : { result: { rows: 4 } });
}

describe.skipIf(!pgUrl || !redisUrl)('several nodes on one PostgreSQL and one Redis (real processes)', () => {
  let cluster: Cluster | null = null;
  const subscribers: Subscriber[] = [];
  afterEach(async () => {
    for (const subscriber of subscribers.splice(0)) subscriber.ws.terminate();
    await cluster?.close();
    cluster = null;
  });

  it('jobs created on node A are run by the workers of both nodes, never one job twice at once', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    const [a, b] = await Promise.all([cluster.start('a', { workConcurrency: 3 }), cluster.start('b', { workConcurrency: 3 })]);
    const jobs = await Promise.all(Array.from({ length: 40 }, (_, i) => createJob(a, { type: 'work', title: `work ${i}` })));
    await eventually(async () => (await cluster!.db.query('SELECT COUNT(*)::int AS n FROM runs')).rows[0].n === jobs.length, 60_000, 'every job run');
    for (const job of jobs) await eventually(async () => (await b.request<Job>('GET', `/v1/jobs/${job.id}`)).body.status === 'completed', 10_000, `job ${job.id} completed`);

    const runs = (await cluster.db.query<{ job_id: string; node: string }>('SELECT job_id, node FROM runs')).rows;
    expect(new Set(runs.map((r) => r.job_id)).size).toBe(jobs.length);
    const perNode = new Map<string, number>();
    for (const run of runs) perNode.set(run.node, (perNode.get(run.node) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual([a.nodeId, b.nodeId].sort());
    expect((await cluster.db.query('SELECT * FROM double_runs')).rows).toEqual([]);
    // Each job ran once: claimed once, finished once, its seq strictly increasing without gaps.
    for (const job of jobs) {
      const events = await storedEvents(a, job.id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(storedTransitions(events)).toEqual(['running', 'completed']);
    }
  });

  it('a subscriber on node B sees every transition of jobs reported to node A, in order', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    const [a, b] = await Promise.all([cluster.start('a'), cluster.start('b')]);
    const watcher = await openSubscriber(b.url, cluster.adminKey);
    subscribers.push(watcher);
    watcher.send({ type: 'subscribe', channel: 'jobs' });
    await watcher.next('snapshot');

    const jobs = await Promise.all(Array.from({ length: 6 }, (_, i) => createJob(a, { type: 'reported', title: `report ${i}` })));
    await Promise.all(jobs.map((job, i) => report(a, job.id, i % 3 === 0 ? 'fail' : 'complete')));

    for (const [i, job] of jobs.entries()) {
      const end = i % 3 === 0 ? 'failed' : 'completed';
      await eventually(() => transitionsOf(watcher.messages, job.id).includes(end), 20_000, `${end} of ${job.id} on node b`);
      const stored = await storedEvents(a, job.id);
      expect(eventSeqsOf(watcher.messages, job.id)).toEqual(stored.map((e) => e.seq));
      expect(transitionsOf(watcher.messages, job.id)).toEqual(storedTransitions(stored));
      expect(storedTransitions(stored)).toEqual(['running', 'paused', 'queued', 'running', end]);
    }
    const cursors = watcher.messages.flatMap((m: ServerMessage) => (m.type === 'event' && m.cursor !== undefined ? [m.cursor] : []));
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it('node A is killed (SIGKILL) holding leased jobs, and node B finishes them once the leases expire', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    const [a, b] = await Promise.all([cluster.start('a', { leaseMs: 2_000 }), cluster.start('b', { leaseMs: 2_000 })]);
    a.send({ cmd: 'register-hold', mode: 'block' });
    await a.next('registered');
    const jobs = await Promise.all(Array.from({ length: 3 }, (_, i) => createJob(a, { type: 'hold', title: `held ${i}` })));
    await eventually(async () => (await cluster!.db.query('SELECT COUNT(*)::int AS n FROM running_now WHERE node = $1', [a.nodeId])).rows[0].n === 3, 20_000, 'node a holding 3 jobs');
    for (const job of jobs) expect((await b.request<Job>('GET', `/v1/jobs/${job.id}`)).body.status).toBe('running');

    a.child.kill('SIGKILL');
    await a.exited;
    const killedAt = Date.now();
    b.send({ cmd: 'register-hold', mode: 'finish' });
    await b.next('registered');
    for (const job of jobs) await eventually(async () => (await b.request<Job>('GET', `/v1/jobs/${job.id}`)).body.status === 'completed', 30_000, `job ${job.id} finished by node b`);

    const runs = (await cluster.db.query<{ job_id: string; node: string }>('SELECT job_id, node FROM runs ORDER BY job_id')).rows;
    expect(runs).toEqual(jobs.map((job) => ({ job_id: job.id, node: b.nodeId })).sort((x, y) => (x.job_id < y.job_id ? -1 : 1)));
    for (const job of jobs) {
      const events = await storedEvents(b, job.id);
      const reasons = events.flatMap((e) => (e.kind === 'transition' ? [`${e.to}${e.reason ? ` (${e.reason})` : ''}`] : []));
      expect(reasons).toEqual(['running (claimed)', 'queued (lease expired)', 'running (claimed)', 'completed']);
      const requeued = events.find((e) => e.kind === 'transition' && e.reason === 'lease expired')!;
      // Not before the lease (2 s from the last renewal, which was at most 2/3 s before the kill) ran out.
      expect(requeued.at).toBeGreaterThanOrEqual(killedAt + 2_000 - 700);
    }
  });

  it('a cancel asked through node B reaches the worker reporting to node A in its next answer', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    const [a, b] = await Promise.all([cluster.start('a'), cluster.start('b')]);
    const job = await createJob(a, { type: 'reported', title: 'cancelled elsewhere' });
    await act(a, job.id, 'start');
    expect((await a.request<{ control: string }>('POST', `/v1/jobs/${job.id}/progress`, { done: 1, total: 100 })).body.control).toBe('run');
    await act(b, job.id, 'cancel');
    await eventually(
      async () => (await a.request<{ control: string }>('POST', `/v1/jobs/${job.id}/progress`, { done: 2, total: 100 })).body.control === 'cancel',
      10_000,
      'control "cancel" in node a\'s answer',
    );
  });

  it('a client watching through node A reconnects to node B and misses no transition', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    const [a, b] = await Promise.all([cluster.start('a'), cluster.start('b')]);
    const job = await createJob(a, { type: 'reported', title: 'watched' });
    const first = await openSubscriber(a.url, cluster.adminKey);
    subscribers.push(first);
    first.send({ type: 'subscribe', channel: `job:${job.id}`, after: 0 });
    await act(a, job.id, 'start');
    await act(a, job.id, 'pause');
    await act(a, job.id, 'pause');
    await eventually(() => transitionsOf(first.messages, job.id).includes('paused'), 20_000, 'the pause through node a');

    a.child.kill('SIGKILL');
    await first.closed;
    const seenBefore = eventSeqsOf(first.messages, job.id);
    // While the client is away, the job moves on through node b.
    await act(b, job.id, 'resume');
    await act(b, job.id, 'start');
    await b.request('POST', `/v1/jobs/${job.id}/progress`, { done: 1, total: 2, step: 'second half' });
    await pauseAndResume(b, job.id);

    const second = await openSubscriber(b.url, cluster.adminKey);
    subscribers.push(second);
    second.send({ type: 'subscribe', channel: `job:${job.id}`, after: seenBefore.at(-1)! });
    await eventually(() => transitionsOf(second.messages, job.id).filter((t) => t === 'running').length === 2, 20_000, 'the replay on node b');
    await act(b, job.id, 'complete', { result: null });
    await eventually(() => transitionsOf(second.messages, job.id).includes('completed'), 20_000, 'completed live on node b');

    const stored = await storedEvents(b, job.id);
    const seen = [...seenBefore, ...eventSeqsOf(second.messages, job.id)];
    expect(seen).toEqual(stored.map((e) => e.seq));
    expect([...transitionsOf(first.messages, job.id), ...transitionsOf(second.messages, job.id)]).toEqual(storedTransitions(stored));
    expect(storedTransitions(stored)).toEqual(['running', 'paused', 'queued', 'running', 'paused', 'queued', 'running', 'completed']);
  });
});
