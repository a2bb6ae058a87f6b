import { copyFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino, type Logger } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { startWalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js';
import { waitFor } from '../support/wait.js';
import { makeJob } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'headway-checkpoints-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A logger whose lines the test can read. */
function capturedLogger(): { logger: Logger; lines: Array<{ msg: string; level: number }> } {
  const lines: Array<{ msg: string; level: number }> = [];
  return { logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) }), lines };
}

/**
 * What the database file alone holds, without its WAL: only what a checkpoint copied back.
 * A copy taken while a checkpoint writes pages can be torn; it counts as "not yet".
 */
function doneInFileAlone(path: string, jobId: string, copyName: string): number | undefined {
  const copy = join(root, copyName);
  copyFileSync(path, copy);
  const raw = new Database(copy, { readonly: true });
  try {
    const hasJobs = raw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'jobs'").get() !== undefined;
    return hasJobs ? (raw.prepare('SELECT done FROM jobs WHERE id = ?').get(jobId) as { done: number } | undefined)?.done : undefined;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CORRUPT' || (error as { code?: string }).code === 'SQLITE_NOTADB') return undefined;
    throw error;
  } finally {
    raw.close();
  }
}

describe('SQLite checkpoints off the event loop', () => {
  it('copies committed progress back into the database file from its own thread', async () => {
    const path = join(root, 'background.db');
    const { logger, lines } = capturedLogger();
    const store = await openSqliteStore(path, { background: { logger } });
    try {
      await store.migrate();
      const job = makeJob({ status: 'running' });
      await store.jobs.insert([job], 1);
      await store.jobs.saveProgress([{ id: job.id, done: 42, percent: 42, updatedAt: 2 }]);
      // Far below the 10,000 pages at which the main connection would checkpoint by itself.
      const done = await waitFor('the checkpoint', () => (doneInFileAlone(path, job.id, 'background-copy.db') === 42 ? 42 : undefined), 10_000);
      expect(done).toBe(42);
      expect(lines).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('checkpoints a burst of writes once it pauses, without waiting for the periodic backstop', async () => {
    const path = join(root, 'burst.db');
    const connection = new Database(path);
    connection.pragma('journal_mode = WAL');
    const { logger, lines } = capturedLogger();
    // A backstop of an hour: only the signal after the writes can bring the checkpoint.
    const checkpointer = startWalCheckpointer(connection, logger, { backstopMs: 3_600_000 });
    try {
      connection.exec('CREATE TABLE jobs (id TEXT PRIMARY KEY, done REAL)');
      connection.prepare('INSERT INTO jobs VALUES (?, ?)').run('job-1', 7);
      checkpointer.wrote();
      expect(await waitFor('the checkpoint after the burst', () => doneInFileAlone(path, 'job-1', 'burst-copy.db'), 10_000)).toBe(7);
      expect(lines).toEqual([]);
    } finally {
      await checkpointer.stop();
      connection.close();
    }
  });

  it('logs a checkpoint thread that cannot start, and SQLite checkpoints on commit again', async () => {
    const path = join(root, 'vanished.db');
    const connection = new Database(path);
    connection.pragma('journal_mode = WAL');
    unlinkSync(path); // the open connection still works; the thread cannot open the file
    const { logger, lines } = capturedLogger();
    const checkpointer = startWalCheckpointer(connection, logger);
    try {
      const failure = await waitFor('the failure to be logged', () => lines.find((line) => line.msg.startsWith('sqlite:checkpointer stopped')), 10_000);
      expect(failure.level).toBe(50);
      expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      await checkpointer.stop();
      connection.close();
    }
  });
});
