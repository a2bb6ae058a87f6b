import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { makeJob, seed } from './fixtures.js';

// Every SQLite thread the store starts, with its code, so that a test can kill the writer.
const { threads } = vi.hoisted(() => ({ threads: [] as Array<{ worker: Worker; source: string }> }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  class RecordedWorker extends actual.Worker {
    constructor(source: string | URL, options?: ConstructorParameters<typeof actual.Worker>[1]) {
      super(source, options);
      threads.push({ worker: this, source: String(source) });
    }
  }
  return { ...actual, Worker: RecordedWorker };
});

const root = mkdtempSync(join(tmpdir(), 'headway-writer-death-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Whether some connection holds the database's write lock now (a BEGIN IMMEDIATE that may not wait fails). */
function writeLockHeld(path: string): boolean {
  const probe = new Database(path, { timeout: 0 });
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    probe.close();
  }
}

describe('SQLite writer thread dying in the middle of a write', () => {
  it('its transaction is rolled back and the write runs again on the main connection: nothing answered is lost, and the database stays writable', async () => {
    const path = join(root, 'dies.db');
    const lines: Array<{ msg: string; level: number }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const store = await openSqliteStore(path, { background: { logger } });
    try {
      await store.migrate();
      const jobs = await seed(store, Array.from({ length: 30_000 }, () => makeJob({ status: 'running', total: 30_000 })));
      const writer = threads.find((thread) => thread.source.includes('write.immediate'))!.worker;
      const saving = store.jobs.saveProgress(jobs.map((job, i) => ({ id: job.id, seq: job.seq, done: i + 1, message: `row ${i}`, updatedAt: 5_000 })));
      let answered = false;
      void saving.then(() => (answered = true));
      // Killed once it holds the write lock, mid-transaction.
      while (!writeLockHeld(path)) await new Promise((resolve) => setTimeout(resolve, 1));
      await writer.terminate();
      expect(answered).toBe(false);
      await expect(saving).resolves.toEqual({ stale: [], busyMs: expect.any(Number) });
      expect(lines.some((line) => line.level === 50 && line.msg.includes('writer thread stopped'))).toBe(true);
      expect(await store.jobs.get(jobs[0]!.id)).toMatchObject({ done: 1, message: 'row 0' });
      expect(await store.jobs.get(jobs[29_999]!.id)).toMatchObject({ done: 30_000, message: 'row 29999' });
      // Later writes go on, on the main connection.
      const committed = await store.jobs.commit({ id: jobs[1]!.id, expectedSeq: jobs[1]!.seq, patch: { control: 'pause' }, events: [{ kind: 'control', intent: 'pause' }] }, 6_000);
      expect(committed.ok).toBe(true);
      await expect(store.jobs.saveProgress([{ id: jobs[2]!.id, done: 7, updatedAt: 7_000 }])).resolves.toMatchObject({ stale: [] });
      expect(await store.jobs.get(jobs[2]!.id)).toMatchObject({ done: 7 });
    } finally {
      await store.close();
    }
  });
});
