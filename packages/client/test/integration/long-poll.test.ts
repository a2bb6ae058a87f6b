import { describe, expect, it } from 'vitest';
import { liveServerPerSuite } from '../support/live-server.js';

describe('waitForChange against a real server', () => {
  const live = liveServerPerSuite();

  it('with timeoutMs, a job that does not change is answered as it is when the wait ends, not after the default 25 s', async () => {
    const job = await live.admin.createJob({ type: 'long-poll' });
    // Far longer than the wait asked for, far shorter than the server's default.
    const unchanged = await live.admin.waitForChange(job.id, job.seq, { timeoutMs: 200, signal: AbortSignal.timeout(10_000) });
    expect(unchanged).toMatchObject({ id: job.id, seq: job.seq, status: 'queued' });
  });

  it('a change within the wait is answered with the changed job', async () => {
    const job = await live.admin.createJob({ type: 'long-poll' });
    const waiting = live.admin.waitForChange(job.id, job.seq, { timeoutMs: 20_000 });
    await live.admin.start(job.id);
    expect(await waiting).toMatchObject({ id: job.id, status: 'running' });
  });

  it('a wait past the server bound (30,000 ms) is refused as VALIDATION_FAILED', async () => {
    const job = await live.admin.createJob({ type: 'long-poll' });
    await expect(live.admin.waitForChange(job.id, job.seq, { timeoutMs: 30_001 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
