import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DASHBOARD_DIR } from './dist';

/** Where the browser tests leave screenshots of the main views (gitignored). */
export const SCREENSHOT_DIR = join(DASHBOARD_DIR, '..', '..', 'test-artifacts', 'screenshots');

let announced = false;

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  if (!announced) {
    announced = true;
    console.log(`dashboard screenshots: ${SCREENSHOT_DIR}`);
  }
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false });
  return path;
}
