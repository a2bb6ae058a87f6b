import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { contrastOf } from './support/contrast';
import { startHarness, waitFor, type Harness } from './support/harness';
import { bellCount, completeJobOf, FAST_NOTIFY_SERVER } from './support/notify';
import { signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

describe('dashboard: seen marks and muting a job', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(FAST_NOTIFY_SERVER);
  });
  afterAll(() => harness.close());

  /** The user's in-app notifications as the server stores them. */
  const stored = async (user: string) => (await harness.admin.notifications.list({ user, channel: 'in_app' })).items;

  it('opening the panel marks what it shows as seen, not read: the count stays, and "New" tags only what was not shown before', async () => {
    const { admin, server, browser } = harness;
    const { token } = await admin.mintToken('fay');
    const { page, errors } = await openPage(browser);
    await signInByUrl(page, server.url, token);
    await completeJobOf(admin, 'fay', 'Resize photos');
    await waitFor('the bell at 2', async () => (await bellCount(page)) === 2);
    expect((await stored('fay')).map((n) => n.seenAt)).toEqual([null, null]);

    await page.getByTestId('notification-bell').click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    const items = panel.locator('[data-notification-id]');
    await waitFor('two items', async () => (await items.count()) === 2);
    expect(await panel.locator('[data-new="true"]').count()).toBe(2);
    await waitFor('both seen on the server', async () => (await stored('fay')).every((n) => n.seenAt !== null));
    // Seen is not read.
    expect((await stored('fay')).every((n) => n.readAt === null)).toBe(true);
    expect(await admin.notifications.unreadCount({ user: 'fay' })).toBe(2);
    expect(await bellCount(page)).toBe(2);
    expect(await contrastOf(page, '.new-tag')).toBeGreaterThanOrEqual(4.5);
    await screenshot(page, 'notifications-panel-new');

    // Arriving while the panel is open is being shown: seen too, and new.
    await completeJobOf(admin, 'fay', 'Transcode clip');
    await waitFor('four items', async () => (await items.count()) === 4);
    await waitFor('the new ones seen on the server', async () => {
      const all = await stored('fay');
      return all.length === 4 && all.every((n) => n.seenAt !== null);
    });
    expect(await panel.locator('[data-new="true"]').count()).toBe(4);

    // Opened again: everything was shown before, so nothing is new; all four are still unread.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.getByTestId('notification-bell').click();
    await waitFor('four items again', async () => (await items.count()) === 4);
    expect(await panel.locator('[data-new="true"]').count()).toBe(0);
    expect(await panel.locator('[data-read="false"]').count()).toBe(4);
    expect(await bellCount(page)).toBe(4);
    expect(errors).toEqual([]);
  });

  it('mutes a job from the panel with the keyboard; the muted job notifies nothing more; the job page shows it and unmutes it', async () => {
    const { admin, server, browser } = harness;
    const { token } = await admin.mintToken('gus');
    const { page, errors } = await openPage(browser);
    await signInByUrl(page, server.url, token);
    const noisy = await admin.createJob({ type: 'sync.crm', owner: 'gus', title: 'Sync CRM' });
    await admin.start(noisy.id);
    await waitFor('the bell at 1', async () => (await bellCount(page)) === 1);

    await page.getByTestId('notification-bell').click();
    const item = page.locator('[data-notification-id]', { hasText: 'Sync CRM started' });
    const mute = item.getByRole('button', { name: 'Mute job: Sync CRM started' });
    await waitFor('the mute state read', async () => (await mute.isEnabled()) && (await mute.getAttribute('aria-pressed')) === 'false');
    expect(await mute.textContent()).toBe('Mute');
    await mute.focus();
    await page.keyboard.press('Space');
    await waitFor('pressed', async () => (await mute.getAttribute('aria-pressed')) === 'true');
    expect(await mute.textContent()).toBe('Muted');
    await waitFor('stored in the preferences', async () => (await admin.notifications.preferences('gus')).mutedJobs.includes(noisy.id));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('mute-job');
    expect(await contrastOf(page, '.mute-button.is-muted')).toBeGreaterThanOrEqual(4.5);
    await screenshot(page, 'notifications-panel-muted');

    // The muted job finishes, then another one: only the other one is heard of.
    await admin.complete(noisy.id);
    await completeJobOf(admin, 'gus', 'Build invoices');
    await waitFor('the other job heard of', async () => (await bellCount(page)) === 3);
    const ofNoisy = (await stored('gus')).filter((n) => n.jobId === noisy.id);
    expect(ofNoisy.map((n) => n.type)).toEqual(['job.started']);

    await item.getByRole('link', { name: 'View job' }).click();
    await page.getByRole('heading', { name: 'Sync CRM', level: 1 }).waitFor();
    const jobMute = page.getByTestId('job-mute');
    const toggle = jobMute.getByRole('button', { name: 'Mute this job' });
    await waitFor('muted on the job page', async () => (await toggle.getAttribute('aria-pressed')) === 'true');
    expect(await jobMute.textContent()).toContain('Muted: you get no notifications about this job.');
    await screenshot(page, 'job-muted');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await waitFor('unmuted', async () => (await toggle.getAttribute('aria-pressed')) === 'false');
    expect(await jobMute.textContent()).toContain('Notifications about this job follow your preferences.');
    await waitFor('unmuted in the preferences', async () => !(await admin.notifications.preferences('gus')).mutedJobs.includes(noisy.id));
    expect(errors).toEqual([]);

    // Phone, dark: the muted state of the job page fits and reads well.
    await admin.notifications.setJobMuted('gus', noisy.id, true);
    const phone = await openPage(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await signInByUrl(phone.page, server.url, token, `#/jobs/${noisy.id}`);
    const phoneToggle = phone.page.getByTestId('job-mute').getByRole('button', { name: 'Mute this job' });
    await waitFor('muted on the phone', async () => (await phoneToggle.getAttribute('aria-pressed')) === 'true');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await contrastOf(phone.page, '.mute-button.is-muted')).toBeGreaterThanOrEqual(4.5);
    await screenshot(phone.page, 'job-muted-phone-dark');
    await phone.page.getByTestId('notification-bell').click();
    await phone.page.getByRole('dialog', { name: 'Notifications' }).locator('[data-notification-id]').first().waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'notifications-panel-mute-phone-dark');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it('the admin key mutes a job for its owner from the job page', async () => {
    const { admin, server, browser } = harness;
    const job = await admin.createJob({ type: 'etl.load', owner: 'ivy', title: 'Load warehouse' });
    const { page, errors } = await openPage(browser);
    await signInByUrl(page, server.url, server.adminKey, `#/jobs/${job.id}`);
    const toggle = page.getByRole('button', { name: 'Mute this job for ivy' });
    await waitFor('the owner preferences read', async () => (await toggle.getAttribute('aria-pressed')) === 'false' && (await toggle.isEnabled()));
    await toggle.click();
    await waitFor('muted for ivy', async () => (await admin.notifications.preferences('ivy')).mutedJobs.includes(job.id));
    expect(await page.getByTestId('job-mute').textContent()).toContain('Muted: ivy gets no notifications about this job.');
    expect(await page.getByTestId('job-mute').getByRole('link', { name: 'ivy’s preferences' }).getAttribute('href')).toBe('#/preferences?user=ivy');
    expect(errors).toEqual([]);
  });
});
