import type { JobContext } from '../../server/src/runtime/runtime.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { progressOf, signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

const ITEMS = 400;

/** A runtime handler that processes items one by one, checkpointing after each (where pause takes effect). */
async function countItems(ctx: JobContext<{ next: number }>): Promise<unknown> {
  ctx.step('count');
  for (let item = ctx.saved?.next ?? 0; item < ITEMS; item++) {
    await new Promise((resolve) => setTimeout(resolve, 40));
    ctx.progress(item + 1, ITEMS);
    await ctx.checkpoint({ next: item + 1 });
  }
  return { items: ITEMS };
}

describe('dashboard: job controls', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ register: (headway) => headway.runtime.register('count-items', countItems) });
  });
  afterAll(() => harness.close());

  it('pausing from the UI pauses the runtime job, and resuming continues it from its checkpoint', async () => {
    const { admin, server, browser } = harness;
    const job = await admin.createJob({ type: 'count-items', title: 'Count items', steps: [{ name: 'count' }] });
    await waitFor('the runtime to start the job', async () => (await admin.getJob(job.id)).percent > 2);
    const { page, errors } = await openPage(browser);
    await signInByUrl(page, server.url, server.adminKey, `#/jobs/${job.id}`);
    const head = page.locator('.job-head');
    await head.getByText('running', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    // The intent is shown until the worker reaches a checkpoint and acknowledges.
    await waitFor('the runtime job to be paused', async () => (await admin.getJob(job.id)).status === 'paused');
    await head.locator('.badge[data-status="paused"]').waitFor();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await page.getByTestId('pending-intent').count()).toBe(0);
    const pausedAt = await progressOf(head);
    const checkpoint = (await admin.getJob(job.id)).checkpoint as { next: number };
    expect(checkpoint.next).toBeGreaterThan(0);
    await screenshot(page, 'job-paused', { fullPage: true });

    // Paused means no progress: the bar holds while the job is paused.
    expect(await progressOf(head)).toBe(pausedAt);
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitFor('the job to run again', async () => (await admin.getJob(job.id)).status === 'running');
    await waitFor('the bar to move past where it paused', async () => (await progressOf(head)) > pausedAt + 1);
    await head.locator('.badge[data-status="running"]').waitFor();

    // The audit trail records the intent and the acknowledgements.
    const trail = await page.locator('.audit-list').textContent();
    expect(trail).toContain('Pause requested');
    expect(trail).toContain('running → paused');
    // Resume puts the job back in the queue; the runtime claims it again from its checkpoint.
    expect(trail).toContain('paused → queued');
    expect(trail).toMatch(/queued → running[^]*paused → queued[^]*running → paused/);
    expect(errors).toEqual([]);
  });

  it('shows the pending state between the click and the worker acknowledging', async () => {
    const { admin, server, browser } = harness;
    // A reported job: nothing acknowledges until the test (acting as the worker) reports and pauses.
    const job = await admin.createJob({ type: 'remote-export', title: 'Remote export', total: 100 });
    await admin.start(job.id);
    await admin.reportProgress(job.id, { done: 10 });
    const { page } = await openPage(browser);
    await signInByUrl(page, server.url, server.adminKey, `#/jobs/${job.id}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    const pending = page.getByTestId('pending-intent');
    await pending.waitFor();
    expect(await pending.textContent()).toContain('waiting for the worker');
    expect(await page.locator('.job-head .badge').textContent()).toContain('pausing');
    await screenshot(page, 'job-pending-pause');
    // The worker sees the intent in its report's answer and acknowledges by pausing.
    const answer = await admin.reportProgress(job.id, { done: 12 });
    expect(answer.control).toBe('pause');
    await admin.pause(job.id);
    await page.locator('.job-head .badge[data-status="paused"]').waitFor();
    await waitFor('the pending note to go', async () => (await pending.count()) === 0);
  });
});
