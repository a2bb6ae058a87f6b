import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { contrastOf } from './support/contrast';
import { bellCount, completeJobOf, FAST_NOTIFY_SERVER } from './support/notify';
import { signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

describe('dashboard: notifications bell and panel', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(FAST_NOTIFY_SERVER);
  });
  afterAll(() => harness.close());

  it('a job of the signed-in user completing bumps the bell live; the panel lists it; read marks lower the count and survive a reload', async () => {
    const { admin, server, browser } = harness;
    const { token } = await admin.mintToken('ana');
    const { page, errors } = await openPage(browser);
    await signInByUrl(page, server.url, token);
    const bell = page.getByTestId('notification-bell');
    await waitFor('the bell loaded', async () => (await bell.getAttribute('aria-label')) === 'Notifications, none unread');
    expect(await bellCount(page)).toBe(0);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));

    const jobId = await completeJobOf(admin, 'ana', 'Import customers.csv');
    // Started and finished: two in-app notifications, counted without a reload.
    await waitFor('the bell at 2', async () => (await bellCount(page)) === 2);
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(navigations).toEqual([]);

    // Keyboard: Enter opens the panel and moves focus into it.
    await bell.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    await panel.waitFor();
    expect(await bell.getAttribute('aria-expanded')).toBe('true');
    const items = panel.locator('[data-notification-id]');
    await waitFor('two items', async () => (await items.count()) === 2);
    const finished = panel.locator('[data-notification-id]', { hasText: 'Import customers.csv finished' });
    expect(await finished.getAttribute('data-read')).toBe('false');
    expect(await finished.textContent()).toContain('job.completed');
    expect(await finished.getByRole('link', { name: 'View job' }).getAttribute('href')).toBe(`#/jobs/${jobId}`);
    await screenshot(page, 'notifications-panel');
    for (const selector of ['.bell-count', '.is-unread .notification-title', '.notification-text', '.notification-meta time', '.notification-meta .badge']) {
      expect(await contrastOf(page, selector), `contrast of ${selector} (light)`).toBeGreaterThanOrEqual(4.5);
    }

    // Live while open: another completion appears at the top.
    await completeJobOf(admin, 'ana', 'Render trailer');
    await waitFor('four items, live', async () => (await items.count()) === 4);
    expect(await items.first().textContent()).toContain('Render trailer');
    await waitFor('the bell at 4', async () => (await bellCount(page)) === 4);

    await finished.getByRole('button', { name: 'Mark read: Import customers.csv finished' }).click();
    await waitFor('the bell at 3', async () => (await bellCount(page)) === 3);
    expect(await finished.getAttribute('data-read')).toBe('true');

    // Escape closes the panel and gives focus back to the bell.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await focusedTestId(page)).toBe('notification-bell');

    await page.reload();
    await waitFor('the bell at 3 after a reload', async () => (await bellCount(page)) === 3);
    await bell.click();
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await waitFor('the count hidden', async () => (await bellCount(page)) === 0);
    expect(await panel.locator('[data-read="false"]').count()).toBe(0);
    await page.reload();
    await waitFor('still none unread after a reload', async () => (await bell.getAttribute('aria-label')) === 'Notifications, none unread');
    expect(await bellCount(page)).toBe(0);
    expect(await admin.notifications.unreadCount({ user: 'ana' })).toBe(0);
    expect(errors).toEqual([]);
  });

  it('reads well in dark mode on a phone, and the admin key has no bell', async () => {
    const { admin, server, browser } = harness;
    const { token } = await admin.mintToken('ben');
    await completeJobOf(admin, 'ben', 'Nightly backup');
    const phone = await openPage(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await signInByUrl(phone.page, server.url, token);
    await waitFor('the bell at 2', async () => (await bellCount(phone.page)) === 2);
    await phone.page.getByTestId('notification-bell').click();
    await phone.page.getByRole('dialog', { name: 'Notifications' }).locator('[data-notification-id]').first().waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'notifications-panel-phone-dark');
    for (const selector of ['.bell-count', '.is-unread .notification-title', '.notification-text', '.notification-meta time', '.notification-meta .badge', '.notification-panel-foot a']) {
      expect(await contrastOf(phone.page, selector), `contrast of ${selector} (dark)`).toBeGreaterThanOrEqual(4.5);
    }
    // A click outside closes it (focus stays where the click went).
    await phone.page.locator('main').click({ position: { x: 10, y: 600 } });
    await phone.page.getByRole('dialog', { name: 'Notifications' }).waitFor({ state: 'detached' });
    await phone.context.close();

    const { page } = await openPage(browser);
    await signInByUrl(page, server.url, server.adminKey);
    await page.getByTestId('connection-badge').waitFor();
    expect(await page.getByTestId('notification-bell').count()).toBe(0);
  });
});
