import type { Job } from '@headway/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/node.js';
import { serviceUrl } from '../support/services.js';
import { Cluster } from './fixtures/cluster.js';

const pgUrl = serviceUrl('pgUrl');
const redisUrl = serviceUrl('redisUrl');

describe.skipIf(!pgUrl || !redisUrl)('a worker whose requests reach different nodes (real processes)', () => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
  });

  // Behind a round-robin load balancer the SDK's final report went to one node and its completion
  // to the other, which finished the job from its own older progress: 1,986 of 2,000 rows.
  it('the last report answered by one node survives the completion sent through another', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    // Node B writes progress only every 2 s: its answered report is in its memory (and journal) when A completes the job.
    const [a, b] = await Promise.all([cluster.start('a'), cluster.start('b', { flushIntervalMs: 2_000 })]);
    const job = (await a.request<Job>('POST', '/v1/jobs', { type: 'import', total: 2_000, unit: 'rows' })).body;
    expect((await a.request('POST', `/v1/jobs/${job.id}/start`, {})).status).toBe(200);
    expect((await a.request('POST', `/v1/jobs/${job.id}/progress`, { done: 1_986, message: 'row 1,986' })).status).toBe(200);
    expect((await b.request('POST', `/v1/jobs/${job.id}/progress`, { done: 2_000, message: 'row 2,000' })).status).toBe(200);
    expect((await a.request<Job>('POST', `/v1/jobs/${job.id}/complete`, {})).body.status).toBe('completed');

    for (const node of [a, b]) {
      await eventually(async () => {
        const read = (await node.request<Job>('GET', `/v1/jobs/${job.id}`)).body;
        return read.status === 'completed' && read.done === 2_000 && read.message === 'row 2,000';
      }, 10_000, `the completed job with its last report, read through ${node.nodeId}`);
    }
    const stored = await cluster.db.query('SELECT done, message, percent FROM jobs WHERE id = $1', [job.id]);
    expect(stored.rows[0]).toEqual({ done: 2_000, message: 'row 2,000', percent: 100 });
  });

  it('a job created through one node and reported through another is read with its progress through both', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    const [a, b] = await Promise.all([cluster.start('a'), cluster.start('b')]);
    // No milestone on the way: a milestone is an event, and an event made node A read the job again.
    const job = (await a.request<Job>('POST', '/v1/jobs', { type: 'import', total: 100_000, unit: 'rows' })).body;
    expect((await a.request('POST', `/v1/jobs/${job.id}/start`, {})).status).toBe(200);
    for (const done of [500, 1_200]) {
      expect((await b.request('POST', `/v1/jobs/${job.id}/progress`, { done, message: `row ${done}` })).status).toBe(200);
      for (const node of [a, b]) {
        await eventually(async () => {
          const read = (await node.request<Job>('GET', `/v1/jobs/${job.id}`)).body;
          return read.done === done && read.message === `row ${done}`;
        }, 10_000, `${done} rows read through ${node.nodeId}`);
      }
      const listed = (await a.request<{ items: Job[] }>('GET', '/v1/jobs?type=import')).body.items;
      expect(listed.find((item) => item.id === job.id)).toMatchObject({ done, percent: (done / 100_000) * 100 });
    }
  });

  // Each node flushes on its own interval: the older report's node flushing last wrote it over the newer one.
  it('of two reports answered by two nodes, the newer is what the store keeps, whichever node flushes last', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    const [a, b] = await Promise.all([cluster.start('a', { flushIntervalMs: 2_000 }), cluster.start('b')]);
    const job = (await b.request<Job>('POST', '/v1/jobs', { type: 'import', total: 100_000, unit: 'rows' })).body;
    expect((await b.request('POST', `/v1/jobs/${job.id}/start`, {})).status).toBe(200);
    expect((await a.request('POST', `/v1/jobs/${job.id}/progress`, { done: 1_000, message: 'row 1,000' })).status).toBe(200);
    expect((await b.request('POST', `/v1/jobs/${job.id}/progress`, { done: 2_000, message: 'row 2,000' })).status).toBe(200);
    const stored = async () => (await cluster!.db.query('SELECT done, message FROM jobs WHERE id = $1', [job.id])).rows[0] as { done: number; message: string };
    await eventually(async () => (await stored()).done === 2_000, 10_000, 'the newer report written by node B');
    // Node A writes its older report within its 2 s interval; the store keeps the newer one.
    await eventually(async () => (await cluster!.db.query('SELECT count(*)::int AS n FROM progress_journal')).rows[0].n === 0, 10_000, "node A's flush");
    expect(await stored()).toEqual({ done: 2_000, message: 'row 2,000' });
    for (const node of [a, b]) expect((await node.request<Job>('GET', `/v1/jobs/${job.id}`)).body).toMatchObject({ done: 2_000, message: 'row 2,000' });
    // Completed through node A, whose cache holds its own older report: the final state is the newer one.
    const completed = await a.request<Job>('POST', `/v1/jobs/${job.id}/complete`, {});
    expect(completed.body).toMatchObject({ status: 'completed', done: 2_000, message: 'row 2,000' });
  });

  // A node that dies leaves its answered, unflushed progress in the journal; the others keep running.
  it('progress answered by a node killed before its flush is written back by a live node, with no restart', async () => {
    cluster = await Cluster.create(pgUrl!, redisUrl!);
    const [a, b] = await Promise.all([cluster.start('a', { flushIntervalMs: 10_000 }), cluster.start('b', { journalAdoptAfterMs: 1_000 })]);
    const job = (await b.request<Job>('POST', '/v1/jobs', { type: 'import', total: 100_000, unit: 'rows' })).body;
    expect((await b.request('POST', `/v1/jobs/${job.id}/start`, {})).status).toBe(200);
    expect((await a.request('POST', `/v1/jobs/${job.id}/progress`, { done: 4_200, message: 'row 4,200' })).status).toBe(200);
    a.child.kill('SIGKILL');
    await a.exited;
    const stored = async () => (await cluster!.db.query('SELECT done, message FROM jobs WHERE id = $1', [job.id])).rows[0] as { done: number; message: string };
    await eventually(async () => (await stored()).done === 4_200, 10_000, "node A's answered report written back by node B");
    expect(await stored()).toEqual({ done: 4_200, message: 'row 4,200' });
    expect((await b.request<Job>('GET', `/v1/jobs/${job.id}`)).body).toMatchObject({ done: 4_200, message: 'row 4,200' });
  });
});
