import type { Job } from '@headway/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobContext } from '../../src/runtime/runtime.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ITEMS = 20;

/**
 * A handler that stops between items 5 and 6 until the test opens the gate, so a pause or cancel
 * requested meanwhile stays pending: the handler cannot reach a checkpoint to acknowledge it.
 */
function gatedHandler(processed: number[], gate: Promise<void>) {
  return async (ctx: JobContext<{ next: number }>) => {
    for (let item = ctx.saved?.next ?? 0; item < ITEMS; item++) {
      if (item === 5) await gate;
      processed.push(item);
      ctx.progress(item + 1, ITEMS);
      await ctx.checkpoint({ next: item + 1 });
    }
    return { items: processed.length };
  };
}

describe('who acknowledges a pause or cancel', () => {
  let server: TestServer | undefined;
  afterEach(() => server?.close());

  async function startWithGate() {
    const processed: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    server = await startTestServer({ register: (h) => h.runtime.register('gated', gatedHandler(processed, gate), { concurrency: 1 }) });
    const created = await server.request<Job>('POST', '/v1/jobs', { body: { type: 'gated', title: 'gated import' } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await eventually(() => processed.length === 5, 10_000, 'the handler to reach the gate');
    return { id, processed, open, srv: server };
  }

  for (const action of ['pause', 'cancel'] as const) {
    it(`an operator who asks to ${action} a runtime job twice does not ${action} it while its handler still runs`, async () => {
      const { id, processed, open, srv } = await startWithGate();
      const first = await srv.request<Job>('POST', `/v1/jobs/${id}/${action}`, { body: {} });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'running', control: action });
      // The double click: answered with the job as it is, no event, the lease kept.
      const second = await srv.request<Job>('POST', `/v1/jobs/${id}/${action}`, { body: {} });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ status: 'running', control: action, seq: first.body.seq });
      const record = await srv.headway.store.jobs.get(id);
      expect(record?.leaseOwner).not.toBeNull();

      // The handler reaches its next checkpoint: that is the acknowledgement.
      open();
      const settled = await eventually(async () => {
        const job = (await srv.request<Job>('GET', `/v1/jobs/${id}`)).body;
        return job.status !== 'running' ? job : null;
      }, 10_000, `the handler to acknowledge the ${action}`);
      expect(settled.status).toBe(action === 'pause' ? 'paused' : 'cancelled');
      expect(processed).toEqual([0, 1, 2, 3, 4, 5]);
      const events = (await srv.request<{ items: Array<{ kind: string; to?: string; reason?: string; intent?: string }> }>('GET', `/v1/jobs/${id}/events`)).body.items;
      expect(events.filter((e) => e.kind === 'control').map((e) => e.intent)).toEqual([action]);
      expect(events.filter((e) => e.kind === 'transition').map((e) => [e.to, e.reason])).toEqual([
        ['running', 'claimed'],
        [settled.status, 'acknowledged'],
      ]);

      if (action === 'pause') {
        // Resumed, it continues from the checkpoint: every item exactly once.
        expect((await srv.request<Job>('POST', `/v1/jobs/${id}/resume`, { body: {} })).status).toBe(200);
        await eventually(async () => (await srv.request<Job>('GET', `/v1/jobs/${id}`)).body.status === 'completed', 10_000, 'the resumed job to complete');
        expect(processed).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
      }
    });
  }

  it('a job reported from outside (no lease) is acknowledged by its worker asking again, as before', async () => {
    server = await startTestServer();
    const job = (await server.request<Job>('POST', '/v1/jobs', { body: { type: 'reported' } })).body;
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    const asked = await server.request<Job>('POST', `/v1/jobs/${job.id}/pause`, { body: {} });
    expect(asked.body).toMatchObject({ status: 'running', control: 'pause' });
    const progress = await server.request<{ control: string }>('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 3 } });
    expect(progress.body.control).toBe('pause');
    const acked = await server.request<Job>('POST', `/v1/jobs/${job.id}/pause`, { body: {} });
    expect(acked.body.status).toBe('paused');
  });

  it('the lease holder cannot be claimed over HTTP', async () => {
    const { id, open, srv } = await startWithGate();
    await srv.request('POST', `/v1/jobs/${id}/pause`, { body: {} });
    const record = await srv.headway.store.jobs.get(id);
    const forged = await srv.request<{ error: { code: string; message: string } }>('POST', `/v1/jobs/${id}/pause`, { body: { leaseHolder: record?.leaseOwner } });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('VALIDATION_FAILED');
    expect(forged.body.error.message).toContain('leaseHolder');
    expect((await srv.request<Job>('GET', `/v1/jobs/${id}`)).body.status).toBe('running');
    open();
  });
});
