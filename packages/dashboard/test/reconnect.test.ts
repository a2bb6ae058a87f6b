import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { connectionState, jobRow, progressOf, signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

describe('dashboard: reconnecting', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('shows the reconnect badge while the server is down and catches up by itself when it is back', async () => {
    const { admin, browser } = harness;
    const job = await admin.createJob({ type: 'csv-import', title: 'Import while restarting', total: 100, unit: 'rows' });
    await admin.start(job.id);
    await admin.reportProgress(job.id, { done: 20 });
    const { page } = await openPage(browser);
    await signInByUrl(page, harness.server.url, harness.server.adminKey);
    await waitFor('the bar at 20%', async () => (await progressOf(jobRow(page, job.id))) === 20);
    await waitFor('the live badge', async () => (await connectionState(page)) === 'ok');

    await harness.server.stop();
    await waitFor('the reconnecting badge', async () => (await connectionState(page)) === 'down');
    expect(await page.getByTestId('connection-badge').textContent()).toContain('Reconnecting');
    await screenshot(page, 'reconnecting');

    // Back on the same port and database; changes made before the page reconnects must still reach it.
    const server = await harness.restart();
    const rest = await server.request('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 70 } });
    expect(rest.status).toBe(200);
    const created = await server.request<{ id: string }>('POST', '/v1/jobs', { body: { type: 'csv-import', title: 'Created during the outage' } });
    await waitFor('the live badge again', async () => (await connectionState(page)) === 'ok', 30_000);
    await waitFor('the bar at 70% without a reload', async () => (await progressOf(jobRow(page, job.id))) === 70);
    await jobRow(page, created.body.id).waitFor();
  });
});
