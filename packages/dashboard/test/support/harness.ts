import { createClient, type HeadwayClient } from '@headway/client';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestServerOptions } from '../../../server/test/support/server.js';
import { waitFor as pollUntil, type Check } from '../../../server/test/support/wait.js';
import { launchChromium } from './browser';
import { ensureDashboardBuilt } from './dist';

/** A real Headway server serving the built dashboard, a headless Chromium, and an admin client. */
export interface Harness {
  server: TestServer;
  browser: Browser;
  admin: HeadwayClient;
  /** Starts a server again on the same port, database and admin key (after `server.stop()`). */
  restart(): Promise<TestServer>;
  close(): Promise<void>;
}

export async function startHarness(options: TestServerOptions = {}): Promise<Harness> {
  const dashboardDir = ensureDashboardBuilt();
  const first = await startTestServer({ ...options, dashboardDir });
  const browser = await launchChromium();
  const admin = createClient({ url: first.url, token: first.adminKey });
  const servers = [first];
  const harness: Harness = {
    server: first,
    browser,
    admin,
    async restart() {
      const next = await startTestServer({ ...options, dashboardDir, dbPath: first.dbPath, port: first.port, adminKey: first.adminKey });
      servers.push(next);
      harness.server = next;
      return next;
    },
    async close() {
      admin.close();
      await browser.close();
      for (const server of servers.reverse()) await server.stop();
      await first.close();
    },
  };
  return harness;
}

/** waitFor (server test support) with a longer default: a browser renders after the API answers. */
export function waitFor<T>(what: string, check: Check<T>, timeoutMs = 20_000): Promise<T> {
  return pollUntil(what, check, timeoutMs);
}
