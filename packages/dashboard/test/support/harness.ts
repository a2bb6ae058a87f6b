import { createClient, type HeadwayClient } from '@headway/client';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestServerOptions } from '../../../server/test/support/server.js';
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

/** Polls `check` until truthy; throws saying what it waited for. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
