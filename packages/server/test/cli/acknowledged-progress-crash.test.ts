import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropTestDb, freshTestDb } from '../support/test-db.js';
import { waitForServeBanner, type Served } from './fixtures/serve-banner.js';

const RUN_CLI = join(import.meta.dirname, 'fixtures', 'run-cli.ts');
const ADMIN_KEY = `hw_admin_${'c'.repeat(32)}`;

/**
 * `headway serve` in a process of its own (the semi-space flag given, so it serves in this very
 * process and SIGKILL kills the service), flushing progress to the jobs only every 10 s: what a
 * restart finds within that window is what the journal kept.
 */
async function serve(db: string): Promise<Served & { child: ChildProcess }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HEADWAY_')));
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--conditions=headway-src', '--import', 'tsx', RUN_CLI, 'serve', '--port', '0', '--db', db], {
    env: { ...env, HEADWAY_LOG_LEVEL: 'warn', HEADWAY_ADMIN_KEY: ADMIN_KEY, HEADWAY_FLUSH_INTERVAL_MS: '10000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, ...(await waitForServeBanner(child)) };
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: await response.json() };
}

describe('progress answered before a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headway-ack-crash-'));
  const db = freshTestDb(dir);
  const running: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await dropTestDb(db);
  });

  it('is all there after SIGKILL and a restart, single and batched reports alike, long before the next flush', async () => {
    const first = await serve(db);
    running.push(first.child);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await call(first.url, 'POST', '/v1/jobs', { type: 'crash.ack', total: 1_000, unit: 'rows' });
      expect(created.status).toBe(201);
      ids.push((created.body as { id: string }).id);
      expect((await call(first.url, 'POST', `/v1/jobs/${ids[i]}/start`)).status).toBe(200);
    }
    // Many answered reports: the last answered value of each job must survive.
    for (let done = 1; done <= 40; done++) {
      expect((await call(first.url, 'POST', '/v1/progress', [{ jobId: ids[0], done }, { jobId: ids[1], done: done * 2, message: `row ${done * 2}` }])).status).toBe(200);
    }
    const single = await call(first.url, 'POST', `/v1/jobs/${ids[2]}/progress`, { done: 777, message: 'almost' });
    expect(single.status).toBe(200);

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await serve(db);
    running.push(second.child);
    const jobs = await Promise.all(ids.map(async (id) => (await call(second.url, 'GET', `/v1/jobs/${id}`)).body as { done: number; percent: number; message: string | null; status: string }));
    expect(jobs.map((job) => job.done)).toEqual([40, 80, 777]);
    expect(jobs.map((job) => job.message)).toEqual([null, 'row 80', 'almost']);
    expect(jobs[2]!.percent).toBeCloseTo(77.7);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
