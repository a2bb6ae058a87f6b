import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { jobRow, progressOf, signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

describe('dashboard: live progress', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it("a job's bar advances live while a worker reports, without reloading", async () => {
    const { admin, server, browser } = harness;
    const job = await admin.createJob({ type: 'csv-import', title: 'Import customers.csv', owner: 'ana', total: 10_000, unit: 'rows', steps: [{ name: 'read' }, { name: 'validate' }, { name: 'write' }] });
    await admin.createJob({ type: 'video-render', title: 'Render trailer', owner: 'bob', total: 1_200, unit: 'frames' });
    const { page, errors } = await openPage(browser);
    await signInByUrl(page, server.url, server.adminKey);
    const row = jobRow(page, job.id);
    await row.waitFor();
    expect(await row.textContent()).toContain('Import customers.csv');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));

    const reporter = admin.report(job.id, { throttleMs: 20 });
    reporter.step('read');
    const seen = new Set<number>();
    for (let done = 500; done <= 6_000; done += 500) {
      reporter.progress(done, 10_000);
      await reporter.flush();
      // The server's percent is the truth (steps weigh in); the bar must show it without a reload.
      const expected = Math.round((await admin.getJob(job.id)).percent * 10) / 10;
      await waitFor(`the bar at ${expected}%`, async () => (await progressOf(row)) === expected);
      seen.add(await progressOf(row));
    }
    expect(seen.size).toBeGreaterThanOrEqual(10);
    expect(await row.locator('.cell-step').textContent()).toBe('read');
    expect(await row.textContent()).toContain('rows/s');
    expect(navigations).toEqual([]);
    await screenshot(page, 'jobs-list');

    // The detail page follows the same job live.
    await row.getByRole('link', { name: 'Import customers.csv' }).click();
    await page.getByRole('heading', { name: 'Import customers.csv' }).waitFor();
    reporter.step('validate');
    reporter.progress(8_000, 10_000);
    await reporter.flush();
    const expected = Math.round((await admin.getJob(job.id)).percent * 10) / 10;
    await waitFor(`the detail bar at ${expected}%`, async () => (await progressOf(page.locator('.job-head'))) === expected);
    await waitFor('the step timeline to mark validate current', async () => (await page.locator('.step[aria-current="step"] .step-name').textContent()) === 'validate');
    await screenshot(page, 'job-detail', { fullPage: true });
    expect(errors).toEqual([]);

    // Phone-sized and dark: the same live list, as cards.
    const phone = await openPage(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await signInByUrl(phone.page, server.url, server.adminKey);
    await jobRow(phone.page, job.id).waitFor();
    expect(await jobRow(phone.page, job.id).boundingBox()).toMatchObject({ width: expect.any(Number) });
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'jobs-list-phone-dark');
    await phone.page.goto(`${server.url}/#/jobs/${job.id}`);
    await phone.page.getByRole('heading', { name: 'Import customers.csv' }).waitFor();
    await screenshot(phone.page, 'job-detail-phone-dark', { fullPage: true });
    await phone.context.close();
  });
});
