import { ChannelState } from '@headway/client';
import type { Job, ServerMessage } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/node.js';
import { testServerPerTest, type TestServer } from '../support/server.js';
import { openSse } from '../stream/sse-client.js';
import { openSubscriber } from '../stream/ws-client.js';

const start = testServerPerTest();

async function post(server: TestServer, path: string, body: unknown = {}): Promise<Job> {
  const res = await server.request<Job>('POST', path, { body });
  expect(res.status, `POST ${path}`).toBeLessThan(300);
  return res.body;
}

async function childrenOf(server: TestServer, parentId: string): Promise<Job[]> {
  return (await server.request<{ items: Job[] }>('GET', `/v1/jobs?parentId=${parentId}&sort=createdAt`)).body.items;
}

/** The parent as `GET /v1/jobs/:id` shows it, once `check` holds. */
function parentOnceIt(server: TestServer, parentId: string, check: (job: Job) => boolean, what: string): Promise<Job> {
  return eventually(async () => {
    const job = (await server.request<Job>('GET', `/v1/jobs/${parentId}`)).body;
    return check(job) ? job : null;
  }, 5_000, what);
}

/** A follower's view of one job, folded from its messages the way the client SDK does. */
function viewOf(messages: readonly (ServerMessage | undefined)[], jobId: string): Job | undefined {
  const state = new ChannelState(`job:${jobId}`);
  for (const message of messages) if (message && message.type !== 'error' && message.type !== 'notification' && message.type !== 'pong') state.apply(message);
  return state.current?.job;
}

describe('a batch follows its children once it is finished', () => {
  it('a cancelled batch counts its children cancelled, in GET and for WebSocket and SSE followers, and keeps them after a restart', async () => {
    const server = await start();
    const batch = await post(server, '/v1/jobs', { type: 'batch', children: [{ type: 'x' }, { type: 'x' }] });
    const ws = await openSubscriber(server.url, server.adminKey);
    ws.send({ type: 'subscribe', channel: `job:${batch.id}` });
    await ws.next('snapshot');
    const sse = await openSse(`${server.url}/v1/stream/sse?channel=${encodeURIComponent(`job:${batch.id}`)}`, { authorization: `Bearer ${server.adminKey}` });
    await sse.next('snapshot');

    await post(server, `/v1/jobs/${batch.id}/cancel`);
    expect((await childrenOf(server, batch.id)).map((c) => c.status)).toEqual(['cancelled', 'cancelled']);
    const cancelled = await parentOnceIt(server, batch.id, (job) => job.counts?.cancelled === 2, 'the batch counting two cancelled children');
    expect(cancelled).toMatchObject({ status: 'cancelled', counts: { total: 2, pending: 0, cancelled: 2 }, message: '0 of 2 done, 2 cancelled' });
    await eventually(() => viewOf(ws.messages, batch.id)?.counts?.cancelled === 2, 5_000, 'the WebSocket follower seeing two cancelled');
    await eventually(() => viewOf(sse.frames.map((f) => f.message), batch.id)?.counts?.cancelled === 2, 5_000, 'the SSE follower seeing two cancelled');
    expect(viewOf(ws.messages, batch.id)).toMatchObject({ status: 'cancelled', counts: { pending: 0 } });
    ws.ws.close();
    sse.stop();

    await server.stop();
    const restarted = await start({ dbPath: server.dbPath, adminKey: server.adminKey });
    expect((await restarted.request<Job>('GET', `/v1/jobs/${batch.id}`)).body).toMatchObject({ status: 'cancelled', counts: { pending: 0, cancelled: 2 } });
  });

  it('a completed batch whose failed child is retried and completes says all are done, and stays completed throughout', async () => {
    const server = await start();
    const batch = await post(server, '/v1/jobs', { type: 'batch', children: [{ type: 'x' }, { type: 'x' }] });
    const [good, bad] = await childrenOf(server, batch.id);
    await post(server, `/v1/jobs/${good!.id}/start`);
    await post(server, `/v1/jobs/${good!.id}/complete`);
    await post(server, `/v1/jobs/${bad!.id}/start`);
    await post(server, `/v1/jobs/${bad!.id}/fail`, { error: { message: 'bad file' }, retry: false });
    const completed = await parentOnceIt(server, batch.id, (job) => job.status === 'completed', 'the batch completed');
    expect(completed).toMatchObject({ message: '1 of 2 done, 1 failed', percent: 100 });

    await post(server, `/v1/jobs/${bad!.id}/retry`);
    await parentOnceIt(server, batch.id, (job) => job.counts?.pending === 1, 'the retried child counted pending');
    await post(server, `/v1/jobs/${bad!.id}/start`);
    await post(server, `/v1/jobs/${bad!.id}/complete`);
    const allDone = await parentOnceIt(server, batch.id, (job) => job.counts?.completed === 2, 'the batch counting both children completed');
    expect(allDone).toMatchObject({ status: 'completed', percent: 100, message: '2 of 2 done', counts: { failed: 0, pending: 0, running: 0 }, seq: completed.seq });

    await server.stop();
    const restarted = await start({ dbPath: server.dbPath, adminKey: server.adminKey });
    expect((await restarted.request<Job>('GET', `/v1/jobs/${batch.id}`)).body).toMatchObject({ status: 'completed', message: '2 of 2 done' });
  });

  it('a running batch keeps the roll-up of its last child report across a restart', async () => {
    // Flushes a second apart: the report below is written by the stop's own flush, not by one before it.
    const server = await start({ config: { flushIntervalMs: 1_000 } });
    const batch = await post(server, '/v1/jobs', { type: 'batch', children: [{ type: 'x' }, { type: 'x' }] });
    const [first] = await childrenOf(server, batch.id);
    await post(server, `/v1/jobs/${first!.id}/start`);
    await parentOnceIt(server, batch.id, (job) => job.status === 'running', 'the batch running');
    const report = await server.request('POST', `/v1/jobs/${first!.id}/progress`, { body: { percent: 50 } });
    expect(report.status).toBe(200);
    await server.stop();
    const restarted = await start({ dbPath: server.dbPath, adminKey: server.adminKey });
    expect((await restarted.request<Job>('GET', `/v1/jobs/${first!.id}`)).body).toMatchObject({ percent: 50 });
    expect((await restarted.request<Job>('GET', `/v1/jobs/${batch.id}`)).body).toMatchObject({ status: 'running', percent: 25, counts: { running: 1, pending: 1 } });
  });
});
