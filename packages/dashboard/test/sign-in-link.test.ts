import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadwayError } from '@headway/client';
import { openPage } from './support/browser';
import { contrastOf } from './support/contrast';
import { startHarness, waitFor, type Harness } from './support/harness';
import { signInByUrl } from './support/pages';
import { screenshot } from './support/screenshots';

/** What the server answers to a refused lifetime, asked directly. */
async function serverMessageFor(harness: Harness, ttlSeconds: number): Promise<string> {
  try {
    await harness.admin.mintToken('hal', { ttlSeconds });
  } catch (error) {
    if (error instanceof HeadwayError && error.code === 'VALIDATION_FAILED') return error.message;
    throw error;
  }
  throw new Error(`the server accepted ttlSeconds ${ttlSeconds}`);
}

function expClaimMs(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number; sub: string };
  return payload.exp * 1000;
}

describe('dashboard: the admin makes a sign-in link for a user', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('a refused lifetime shows the server error under the field; a good one gives a copyable link that expires and signs that user in', async () => {
    const { admin, server, browser } = harness;
    await admin.createJob({ type: 'report.build', owner: 'hal', title: 'Hal quarterly report' });
    await admin.createJob({ type: 'report.build', owner: 'someone-else', title: 'Not for Hal' });
    const { context, page, errors } = await openPage(browser);
    const consoleText: string[] = [];
    page.on('console', (message) => consoleText.push(message.text()));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await signInByUrl(page, server.url, server.adminKey, '#/preferences');
    await page.getByLabel('User id').fill('hal');
    await page.getByRole('button', { name: 'Pick user' }).click();
    await page.getByRole('heading', { name: 'Sign-in link for “hal”' }).waitFor();

    // 31 days is more than the server allows: its own message, under the field.
    const ttl = page.getByLabel('Valid for (seconds)');
    await ttl.fill(String(31 * 86_400));
    await page.getByRole('button', { name: 'Make sign-in link' }).click();
    const ttlError = page.getByTestId('mint-ttl-error');
    await ttlError.waitFor();
    expect(await ttlError.textContent()).toBe(await serverMessageFor(harness, 31 * 86_400));
    expect(await ttl.getAttribute('aria-invalid')).toBe('true');
    expect(await ttl.getAttribute('aria-describedby')).toContain('mint-ttl-error');
    await waitFor('focus back on the field', () => page.evaluate(() => document.activeElement?.id === 'mint-ttl'));
    expect(await page.getByTestId('minted-link').count()).toBe(0);
    expect(await contrastOf(page, '[data-testid="mint-ttl-error"]')).toBeGreaterThanOrEqual(4.5);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'sign-in-link-error');

    // Two hours: accepted; the error goes and the link shows with its expiry.
    await ttl.fill('7200');
    expect(await page.getByText('This is 2 h 00 min.').count()).toBe(1);
    const before = Date.now();
    await page.getByRole('button', { name: 'Make sign-in link' }).click();
    const linkField = page.getByLabel('Link for hal');
    await linkField.waitFor();
    expect(await ttlError.count()).toBe(0);
    await waitFor('focus on the link', () => page.evaluate(() => document.activeElement?.id === 'minted-link-url'));
    const link = await linkField.inputValue();
    expect(link.startsWith(`${server.url}/?token=`)).toBe(true);
    const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
    const expiresAt = expClaimMs(token);
    // At least the two hours asked for; JWT times are whole seconds, rounded up (so up to 1 s more).
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7_200_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7_201_000);
    const expiry = await page.getByTestId('minted-link-expiry').textContent();
    expect(expiry).toMatch(/^Expires .+ \(in (2 h 00 min|1 h 59 min)\)\. After that, hal needs a new link\./);

    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'sign-in-link', { fullPage: true });
    // The token is on screen and on the clipboard only.
    expect(consoleText.filter((text) => text.includes(token))).toEqual([]);
    // The browser itself reports the refused request; the page adds nothing.
    expect(errors).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);

    // The link signs hal in: hal's bell, hal's jobs only.
    const hal = await openPage(browser);
    await signInByUrl(hal.page, link.slice(0, link.indexOf('/?token=')), token);
    await hal.page.getByTestId('notification-bell').waitFor();
    await hal.page.getByText('Hal quarterly report').waitFor();
    expect(await hal.page.getByText('Not for Hal').count()).toBe(0);
    expect(hal.errors).toEqual([]);
    await hal.context.close();

    // Phone, dark: the card and its long link fit the width.
    const phone = await openPage(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await signInByUrl(phone.page, server.url, server.adminKey, '#/preferences?user=hal');
    await phone.page.getByLabel('Valid for (seconds)').fill('0');
    await phone.page.getByRole('button', { name: 'Make sign-in link' }).click();
    await phone.page.getByTestId('mint-ttl-error').waitFor();
    expect(await phone.page.getByTestId('mint-ttl-error').textContent()).toBe(await serverMessageFor(harness, 0));
    expect(await contrastOf(phone.page, '[data-testid="mint-ttl-error"]')).toBeGreaterThanOrEqual(4.5);
    await phone.page.getByLabel('Valid for (seconds)').fill('600');
    await phone.page.getByRole('button', { name: 'Make sign-in link' }).click();
    await phone.page.getByLabel('Link for hal').waitFor();
    await waitFor('laid out', async () => (await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);
    await phone.page.getByRole('heading', { name: 'Sign-in link for “hal”' }).scrollIntoViewIfNeeded();
    await screenshot(phone.page, 'sign-in-link-phone-dark');
    expect(phone.errors.filter((text) => !text.includes('status of 400'))).toEqual([]);
    await phone.context.close();
  });
});
