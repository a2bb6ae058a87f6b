import type { Job, JobEvent } from '@headway/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import type { JobContext } from '../../src/runtime/runtime.js';
import { FAST_NOTIFY } from '../notify/support/notify-server.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';

let first: TestServer | undefined;
let second: TestServer | undefined;

afterEach(async () => {
  // The second node only borrows the first one's database: stop it before that is deleted.
  await second?.close();
  await first?.close();
  first = second = undefined;
});

/**
 * A worker that saves a checkpoint and then hangs: it never looks at its control intent or its
 * abort signal, so a pause or cancel asked meanwhile is never acknowledged.
 */
function hangingHandler(started: string[]) {
  return async (ctx: JobContext<{ row: number }>) => {
    started.push(ctx.job.id);
    ctx.progress(7, 20);
    await ctx.checkpoint({ row: 7 });
    await new Promise<never>(() => {});
  };
}

function transitionsOf(events: JobEvent[]): Array<Array<string | null>> {
  return events.flatMap((e) => (e.kind === 'transition' ? [[e.from, e.to, e.reason ?? '']] : []));
}

async function statusOf(server: TestServer, id: string, status: Job['status']): Promise<Job | null> {
  const res = await server.request<Job>('GET', `/v1/jobs/${id}`);
  return res.body.status === status ? res.body : null;
}

describe('a pause or cancel pending when the worker is lost', () => {
  it('a job cancelled while its worker hangs is cancelled after its node restarts, never run again, and its owner is told', async () => {
    const started: string[] = [];
    const config: Partial<Config> = { nodeId: 'node-a', notify: FAST_NOTIFY as Config['notify'] };
    first = await startTestServer({ config, register: (h) => h.runtime.register('export', hangingHandler(started)) });
    const created = await first.request<Job>('POST', '/v1/jobs', { body: { type: 'export', owner: 'ada', title: 'Export' } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await eventually(() => started.includes(id), 10_000, 'the worker to start the job');
    const cancel = await first.request<Job>('POST', `/v1/jobs/${id}/cancel`, { body: {} });
    expect(cancel.body).toMatchObject({ status: 'running', control: 'cancel' });
    // The node goes down with the cancel still unacknowledged (the handler hangs on).
    await first.stop();

    second = await startTestServer({ dbPath: first.dbPath, adminKey: first.adminKey, config, register: (h) => h.runtime.register('export', hangingHandler(started)) });
    const job = (await second.request<Job>('GET', `/v1/jobs/${id}`)).body;
    expect(job).toMatchObject({ status: 'cancelled', control: 'cancel', eta: null });
    expect(job.finishedAt).toEqual(expect.any(Number));
    // The restarted node claims work of the type again; the cancelled job is not among it.
    const other = (await second.request<Job>('POST', '/v1/jobs', { body: { type: 'export' } })).body;
    await eventually(() => started.includes(other.id), 10_000, 'another job of the type to start');
    expect(started.filter((s) => s === id)).toHaveLength(1);

    const events = (await second.request<{ items: JobEvent[] }>('GET', `/v1/jobs/${id}/events`)).body.items;
    expect(transitionsOf(events)).toEqual([
      ['queued', 'running', 'claimed'],
      ['running', 'cancelled', 'node restarted before the worker acknowledged the cancel'],
    ]);
    const notified = await eventually(async () => {
      const res = await second!.request<{ items: Array<{ userId: string; type: string }> }>('GET', `/v1/notifications?type=job.cancelled&jobId=${id}`);
      return res.body.items.length > 0 ? res.body.items : null;
    }, 10_000, 'the owner to be notified of the cancel');
    expect(new Set(notified.map((n) => n.userId))).toEqual(new Set(['ada']));
  });

  it('a batch paused while its child hangs is paused once the lease expires on another node, and resume continues from the checkpoint', async () => {
    const started: string[] = [];
    first = await startTestServer({ config: { nodeId: 'node-a', leaseMs: 1_000 }, register: (h) => h.runtime.register('export', hangingHandler(started)) });
    const batch = (await first.request<Job>('POST', '/v1/jobs', { body: { type: 'nightly', children: [{ type: 'export' }] } })).body;
    const [child] = (await first.request<{ items: Job[] }>('GET', `/v1/jobs?parentId=${batch.id}`)).body.items;
    await eventually(() => started.includes(child!.id), 10_000, 'the worker to start the child');
    expect((await first.request('POST', `/v1/jobs/${batch.id}/pause`, { body: {} })).status).toBe(200);
    expect((await first.request<Job>('GET', `/v1/jobs/${child!.id}`)).body).toMatchObject({ status: 'running', control: 'pause' });
    // The node goes down with the pause unacknowledged; nobody renews the child's lease any more.
    await first.stop();

    const resumedFrom: unknown[] = [];
    second = await startTestServer({
      dbPath: first.dbPath,
      adminKey: first.adminKey,
      config: { nodeId: 'node-b', leaseMs: 1_000 },
      register: (h) =>
        h.runtime.register<{ row: number }>('export', async (ctx) => {
          resumedFrom.push(ctx.saved);
          return { rows: 20 };
        }),
    });
    const paused = await eventually(() => statusOf(second!, child!.id, 'paused'), 10_000, 'the child paused once its lease expired');
    expect(paused).toMatchObject({ control: 'pause', checkpoint: { row: 7 }, finishedAt: null });
    await eventually(() => statusOf(second!, batch.id, 'paused'), 10_000, 'the batch paused by its roll-up');
    expect(resumedFrom).toEqual([]);
    const events = (await second.request<{ items: JobEvent[] }>('GET', `/v1/jobs/${child!.id}/events`)).body.items;
    expect(transitionsOf(events).at(-1)).toEqual(['running', 'paused', 'lease expired before the worker acknowledged the pause']);

    expect((await second.request('POST', `/v1/jobs/${batch.id}/resume`, { body: {} })).status).toBe(200);
    const done = await eventually(() => statusOf(second!, batch.id, 'completed'), 10_000, 'the batch completed after resume');
    expect(done.counts).toMatchObject({ total: 1, completed: 1 });
    expect(resumedFrom).toEqual([{ row: 7 }]);
    expect(started).toEqual([child!.id]);
  });
});
