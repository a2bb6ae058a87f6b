import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Opens the dashboard the way `headway serve` tells people to: `/?token=...`. */
export async function signInByUrl(page: Page, url: string, token: string, route = ''): Promise<void> {
  await page.goto(`${url}/?token=${encodeURIComponent(token)}${route}`);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  expect(page.url()).not.toContain('token=');
}

export function jobRow(page: Page, id: string): Locator {
  return page.locator(`[data-job-id="${id}"]`);
}

/** The aria-valuenow of the first progress bar inside `scope`. */
export async function progressOf(scope: Locator | Page): Promise<number> {
  const value = await scope.getByRole('progressbar').first().getAttribute('aria-valuenow');
  return Number(value);
}

/** Titles of the job rows the list currently renders, top to bottom. */
export async function visibleTitles(page: Page): Promise<string[]> {
  return page.locator('.jobs-table .job-row:not(.head-row) .job-title').allTextContents();
}

export async function connectionState(page: Page): Promise<string | null> {
  return page.getByTestId('connection-badge').getAttribute('data-state');
}
