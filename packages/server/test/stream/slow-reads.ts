import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/open.js';

/**
 * A real SQLite store whose event reads answer `latencyMs` later, as a store across a network
 * (PostgreSQL) does. In-process SQLite answers before any other code runs, so without this the
 * writes that land between a catch-up's replay read and its snapshot read never happen in tests.
 */
export async function sqliteStoreWithSlowEventReads(latencyMs: number): Promise<{ store: Store; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'headway-stream-'));
  const store = await openSqliteStore(join(dir, 'headway.db'));
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), latencyMs));
  const { events, eventsSince, latestCursor } = store.jobs;
  Object.assign(store.jobs, {
    events: async (...args: Parameters<typeof events>) => later(await events(...args)),
    eventsSince: async (...args: Parameters<typeof eventsSince>) => later(await eventsSince(...args)),
    latestCursor: async () => later(await latestCursor()),
  });
  return { store, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
