import type { HeadwayClient } from '@headway/client';
import type { Page } from 'playwright-core';
import type { TestServerOptions } from '../../../server/test/support/server.js';

/** A server whose notifier delivers in-app notifications within tens of milliseconds. */
export const FAST_NOTIFY_SERVER: TestServerOptions = {
  config: { notify: { dispatchIntervalMs: 20, enqueueIntervalMs: 5, backoffBaseMs: 40, backoffMaxMs: 400, leaseMs: 5_000 } as never },
};

/** A job of `owner` taken from queued to completed, as a worker would: notifies "started" and "finished". */
export async function completeJobOf(admin: HeadwayClient, owner: string, title: string): Promise<string> {
  const job = await admin.createJob({ type: 'report.build', owner, title });
  await admin.start(job.id);
  await admin.complete(job.id, { rows: 120 });
  return job.id;
}

/** The bell's unread count, 0 when its badge is hidden. One read that never waits: count() then textContent() raced a badge hidden in between, and waited 30 s for it. */
export async function bellCount(page: Page): Promise<number> {
  const [text] = await page.getByTestId('unread-count').allTextContents();
  return text === undefined ? 0 : Number(text);
}
