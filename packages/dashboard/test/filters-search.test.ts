import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { signInByUrl, visibleTitles } from './support/pages';
import { screenshot } from './support/screenshots';

describe('dashboard: filters and search', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
    const { admin } = harness;
    const specs = [
      { type: 'csv-import', title: 'Import customers.csv', owner: 'ana', tags: ['nightly'] },
      { type: 'csv-import', title: 'Import orders.csv', owner: 'bob', tags: ['nightly'] },
      { type: 'csv-import', title: 'Import invoices.csv', owner: 'ana', tags: ['adhoc'] },
      { type: 'video-render', title: 'Render trailer', owner: 'ana', tags: ['nightly'] },
      { type: 'video-render', title: 'Render teaser', owner: 'bob', tags: [] },
      { type: 'upload', title: 'Upload photos', owner: 'cy', tags: [] },
    ];
    for (const spec of specs) await admin.createJob({ ...spec, total: 100 });
  });
  afterAll(() => harness.close());

  it('narrow the list by type, owner, tag and text, keep them in the URL, and survive a reload', async () => {
    const { page, errors } = await openPage(harness.browser);
    await signInByUrl(page, harness.server.url, harness.server.adminKey);
    await waitFor('all six jobs', async () => (await visibleTitles(page)).length === 6);

    await page.getByLabel('Type').selectOption('csv-import');
    await waitFor('three imports', async () => (await visibleTitles(page)).length === 3);
    await page.getByLabel('Owner').fill('ana');
    await waitFor('two imports of ana', async () => (await visibleTitles(page)).length === 2);
    await page.getByLabel('Search').fill('invoices');
    await waitFor('the one matching search', async () => (await visibleTitles(page)).join() === 'Import invoices.csv');
    await waitFor('the search in the URL', () => page.url().includes('q=invoices'));
    expect(page.url()).toContain('type=csv-import');
    expect(page.url()).toContain('owner=ana');
    await screenshot(page, 'jobs-filtered');

    await page.reload();
    await waitFor('the same single job after reload', async () => (await visibleTitles(page)).join() === 'Import invoices.csv');
    expect(await page.getByLabel('Search').inputValue()).toBe('invoices');
    expect(await page.getByLabel('Type').inputValue()).toBe('csv-import');

    // A shared link with a tag filter opens narrowed.
    await page.goto(`${harness.server.url}/#/?tag=nightly&sort=createdAt`);
    await waitFor('the three nightly jobs, oldest first', async () => (await visibleTitles(page)).join() === 'Import customers.csv,Import orders.csv,Render trailer');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitFor('all six again', async () => (await visibleTitles(page)).length === 6);
    expect(errors).toEqual([]);
  });

  it('a user token signs in from the URL and sees only that user\'s jobs', async () => {
    const { token } = await harness.admin.mintToken('bob');
    const { page } = await openPage(harness.browser);
    await signInByUrl(page, harness.server.url, token);
    await waitFor("bob's two jobs", async () => (await visibleTitles(page)).sort().join() === 'Import orders.csv,Render teaser');
    expect(await page.evaluate(() => sessionStorage.getItem('headway.token'))).toBe(token);
    expect(await page.locator('.who').textContent()).toBe('bob');
    // Still signed in after a reload (the token is in session storage, not in the URL).
    await page.reload();
    await waitFor("bob's jobs after reload", async () => (await visibleTitles(page)).length === 2);
  });
});
