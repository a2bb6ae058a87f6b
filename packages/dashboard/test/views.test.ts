import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

describe('dashboard: history, analytics and system views', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
    const { admin } = harness;
    for (let i = 0; i < 4; i++) {
      const job = await admin.createJob({ type: 'csv-import', title: `Nightly import ${i + 1}`, total: 100, unit: 'rows', steps: [{ name: 'read' }, { name: 'write' }] });
      const reporter = admin.report(job.id, { throttleMs: 5 });
      reporter.step('read');
      reporter.progress(100, 100);
      await reporter.flush();
      reporter.step('write');
      reporter.progress(100, 100);
      await reporter.flush();
      if (i === 3) await admin.fail(job.id, { message: 'row 42: bad date' }, { retry: false });
      else await admin.complete(job.id);
    }
  });
  afterAll(() => harness.close());

  it('show finished jobs, per-type analytics with the bottleneck step, and the node figures', async () => {
    const { server, browser } = harness;
    // A browser far from UTC: the throughput chart asks for, and is labelled in, its zone.
    const { page, errors } = await openPage(browser, { timezoneId: 'America/Los_Angeles' });
    await signInByUrl(page, server.url, server.adminKey, '#/history');
    await waitFor('four finished jobs', async () => (await page.locator('.jobs-table .job-row:not(.head-row)').count()) === 4);
    await screenshot(page, 'history');

    await page.getByRole('link', { name: 'Analytics' }).click();
    const row = page.locator('.analytics-table tbody tr', { hasText: 'csv-import' });
    await row.waitFor();
    expect(await row.textContent()).toContain('75.0%');
    await page.getByTestId('bottleneck').waitFor();
    expect(await page.getByTestId('bottleneck').textContent()).toMatch(/Bottleneck: (read|write)/);
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('.chart').first().getAttribute('aria-label')).toMatch(/per 1h of America\/Los_Angeles time\.$/);
    await screenshot(page, 'analytics', { fullPage: true });

    await page.getByRole('link', { name: 'System' }).click();
    await page.locator('[data-stat="liveConnections"]').waitFor();
    expect(Number(await page.locator('[data-stat="liveConnections"] dd').textContent())).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'system', { fullPage: true });
    expect(errors).toEqual([]);
  });

  it('draw the throughput chart in UTC, with no error, when the server does not know the browser\'s time zone', async () => {
    const { server, browser } = harness;
    // The page runs in Kolkata (UTC+5:30, so its hours are not UTC's) but reports a zone no ICU knows.
    const { context, page, errors } = await openPage(browser, { timezoneId: 'Asia/Kolkata' });
    await context.addInitScript(() => {
      const resolvedOptions = Intl.DateTimeFormat.prototype.resolvedOptions;
      const local = resolvedOptions.call(new Intl.DateTimeFormat()).timeZone; // Chromium says Asia/Calcutta
      Intl.DateTimeFormat.prototype.resolvedOptions = function (this: Intl.DateTimeFormat) {
        const options = resolvedOptions.call(this);
        return options.timeZone === local ? { ...options, timeZone: 'Mars/Olympus_Mons' } : options;
      };
    });
    const asked: Array<{ tz: string | null; status: number; body: { timeZone?: string; buckets?: Array<{ start: number }> } }> = [];
    page.on('response', async (response) => {
      if (!response.url().includes('/v1/analytics/throughput')) return;
      asked.push({ tz: new URL(response.url()).searchParams.get('tz'), status: response.status(), body: (await response.json()) as (typeof asked)[number]['body'] });
    });

    await signInByUrl(page, server.url, server.adminKey, '#/analytics');
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('.chart').first().getAttribute('aria-label')).toMatch(/per 1h of UTC time\.$/);
    expect(await page.getByTestId('throughput-zone-note').textContent()).toBe("Times are UTC: the server does not know this browser's time zone (Mars/Olympus_Mons).");
    await waitFor('both throughput answers', () => asked.length === 2);
    expect(asked.map(({ tz, status }) => ({ tz, status }))).toEqual([
      { tz: 'Mars/Olympus_Mons', status: 400 },
      { tz: null, status: 200 },
    ]);
    const answer = asked[1]!.body;
    expect(answer.timeZone).toBe('UTC');
    expect(answer.buckets!.length).toBeGreaterThan(0);
    expect(answer.buckets!.every((bucket) => bucket.start % 3_600_000 === 0)).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });
});
