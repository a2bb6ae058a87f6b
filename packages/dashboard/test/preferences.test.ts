import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './support/browser';
import { startHarness, waitFor, type Harness } from './support/harness';
import { FAST_NOTIFY_SERVER } from './support/notify';
import { signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

async function openPreferences(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Preferences' }).click();
  await page.getByRole('heading', { name: 'Notification preferences' }).waitFor();
  await page.getByLabel('Email address').waitFor();
}

describe('dashboard: notification preferences', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(FAST_NOTIFY_SERVER);
  });
  afterAll(() => harness.close());

  it('saves the signed-in user preferences and shows them again after a reload; bad values show their error next to the field', async () => {
    const { admin, server, browser } = harness;
    const { token } = await admin.mintToken('cleo');
    const { page, errors } = await openPage(browser);
    await signInByUrl(page, server.url, token);
    await openPreferences(page);
    expect(await page.getByLabel('Time zone (IANA)').inputValue()).toBe('UTC');

    // A bad phone number and time zone: refused here, each message under its field, focus on the first.
    await page.getByLabel('Phone for SMS').fill('555-1234');
    await page.getByLabel('Time zone (IANA)').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByTestId('pref-phone-error').waitFor();
    expect(await page.getByTestId('pref-phone-error').textContent()).toContain('+15551234567');
    expect(await page.getByTestId('pref-timezone-error').textContent()).toContain('IANA');
    expect(await page.getByLabel('Phone for SMS').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Phone for SMS').getAttribute('aria-describedby')).toContain('pref-phone-error');
    expect(await page.getByTestId('save-status').textContent()).toContain('2 fields need attention');
    await waitFor('focus on the time zone (first invalid field in the form)', () => page.evaluate(() => document.activeElement?.id === 'pref-timezone'));
    // A full-page capture of a scrolled page would paint the sticky header mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'preferences-errors', { fullPage: true });
    expect((await admin.notifications.preferences('cleo')).timeZone).toBe('UTC');

    await page.getByLabel('Email address').fill('cleo@example.test');
    await page.getByLabel('Phone for SMS').fill('+44 20 7946 0958');
    await page.getByLabel('Webhook URL').fill('https://hooks.example.test/cleo');
    await page.getByLabel('Time zone (IANA)').fill('Europe/Paris');
    await page.getByLabel('Email for job.completed').selectOption('off');
    await page.getByLabel('SMS for job.failed').selectOption('on');
    await page.getByLabel('Delivery of job.milestone').selectOption('daily');
    await page.getByLabel('Hold notifications during quiet hours').check();
    await page.getByLabel('From').fill('22:30');
    await page.getByLabel('Until').fill('07:15');
    await page.getByLabel('Mute a job (its id)').fill('job-to-ignore');
    await page.getByRole('button', { name: 'Mute', exact: true }).click();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await waitFor('saved', async () => (await page.getByTestId('save-status').textContent()) === 'Saved.');

    const stored = await admin.notifications.preferences('cleo');
    expect(stored).toMatchObject({
      timeZone: 'Europe/Paris',
      contacts: { email: 'cleo@example.test', phone: '+442079460958', webhook: { url: 'https://hooks.example.test/cleo' } },
      types: { 'job.completed': { channels: { email: false } }, 'job.failed': { channels: { sms: true } }, 'job.milestone': { frequency: 'daily' } },
      quietHours: { start: '22:30', end: '07:15' },
      mutedJobs: ['job-to-ignore'],
    });
    expect(stored.contacts.webhook?.secret).toMatch(/^whsec_/);

    await page.reload();
    await page.getByLabel('Email address').waitFor();
    await waitFor('the saved email back', async () => (await page.getByLabel('Email address').inputValue()) === 'cleo@example.test');
    expect(await page.getByLabel('Time zone (IANA)').inputValue()).toBe('Europe/Paris');
    expect(await page.getByLabel('Email for job.completed').inputValue()).toBe('off');
    expect(await page.getByLabel('Delivery of job.milestone').inputValue()).toBe('daily');
    expect(await page.getByLabel('Until').inputValue()).toBe('07:15');
    expect(await page.getByRole('button', { name: 'Unmute job-to-ignore' }).count()).toBe(1);
    await screenshot(page, 'preferences', { fullPage: true });
    expect(errors).toEqual([]);

    const phone = await openPage(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await signInByUrl(phone.page, server.url, token, '#/preferences');
    await waitFor('the saved email back', async () => (await phone.page.getByLabel('Email address').inputValue()) === 'cleo@example.test');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'preferences-phone-dark', { fullPage: true });
    await phone.context.close();
  });

  it('the admin key picks a user and edits their preferences', async () => {
    const { server, browser, admin } = harness;
    await admin.notifications.savePreferences('dora', { timeZone: 'Asia/Tokyo' });
    const { page } = await openPage(browser);
    await signInByUrl(page, server.url, server.adminKey, '#/preferences');
    await page.getByText('You are signed in with a key').waitFor();
    await page.getByLabel('User id').fill('dora');
    await page.getByRole('button', { name: 'Pick user' }).click();
    await waitFor('dora preferences', async () => (await page.getByLabel('Time zone (IANA)').inputValue()) === 'Asia/Tokyo');
    expect(page.url()).toContain('#/preferences?user=dora');
    await page.getByLabel('Email address').fill('dora@example.test');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await waitFor('saved', async () => (await page.getByTestId('save-status').textContent()) === 'Saved.');
    expect((await admin.notifications.preferences('dora')).contacts.email).toBe('dora@example.test');
  });
});
