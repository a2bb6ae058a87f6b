import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

const ITEMS = 10_000;

describe('dashboard: batch items', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('shows a failed child in the batch table of 10,000 items, virtualised', async () => {
    const { admin, server, browser } = harness;
    const children = Array.from({ length: ITEMS }, (_, i) => ({ type: 'upload-file', title: `photo-${String(i + 1).padStart(5, '0')}.jpg`, total: 1, unit: 'files', maxAttempts: 1 }));
    const batch = await admin.createJob({ type: 'upload-batch', title: 'Upload 10,000 photos', unit: 'photos', children });
    const page1 = await admin.listJobs({ parentId: batch.id, sort: 'createdAt', limit: 3 });
    const [first, second, third] = page1.items;
    await admin.start(first!.id);
    await admin.complete(first!.id);
    await admin.start(second!.id);
    await admin.fail(second!.id, { message: 'disk quota exceeded on bucket photos', code: 'QUOTA' }, { retry: false });
    await admin.start(third!.id);

    const { page, errors } = await openPage(browser);
    await signInByUrl(page, server.url, server.adminKey, `#/jobs/${batch.id}`);
    await page.getByRole('heading', { name: 'Upload 10,000 photos' }).waitFor();
    const count = page.getByTestId('children-count');
    await waitFor('all items loaded', async () => (await count.textContent())?.startsWith(`${ITEMS.toLocaleString()} of ${ITEMS.toLocaleString()} items`) && !(await count.textContent())?.includes('loading'), 60_000);
    // Virtualised: a handful of rows exist in the DOM, not 10,000.
    const rendered = await page.locator('.children-table .child-row:not(.head-row)').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(80);
    expect(await page.locator('.children-table [data-child-status="failed"]').first().textContent()).toContain('disk quota exceeded');
    await screenshot(page, 'batch-items', { fullPage: true });

    await page.getByLabel('Show').selectOption('failed');
    await waitFor('only the failed item', async () => (await count.textContent())?.startsWith('1 of'));
    const failedRow = page.locator('.children-table .child-row:not(.head-row)');
    expect(await failedRow.count()).toBe(1);
    expect(await failedRow.textContent()).toContain(second!.title!);

    // A child failing while the page is open shows up without a reload.
    await admin.fail(third!.id, { message: 'checksum mismatch', code: 'CHECKSUM' }, { retry: false });
    await waitFor('the second failure', async () => (await count.textContent())?.startsWith('2 of'));
    expect(await failedRow.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('checksum mismatch')]));
    // The batch counts its finished children in its own unit.
    await waitFor('the header counting 3 of 10,000 photos', async () => (await page.getByText('3 / 10,000 photos').count()) > 0);
    // Its errors are its failed children, as in the list.
    await waitFor('two errors', async () => (await page.locator('.fact', { hasText: 'Errors' }).locator('dd').textContent()) === '2');
    expect(errors).toEqual([]);
  });
});
