import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { pino, type Logger } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsProcess } from '../support/ts-process.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { startReaderThread } from '../../src/store/sqlite/reader-thread.js';
import type { JobRecord } from '../../src/model/job-record.js';
import { makeJob } from './fixtures.js';

const SEARCH_AND_EXIT = fileURLToPath(new URL('./fixtures/search-and-exit.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'headway-reader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function capturedLogger(): { logger: Logger; lines: Array<{ msg: string; level: number }> } {
  const lines: Array<{ msg: string; level: number }> = [];
  return { logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) }), lines };
}

/** Finished jobs with plain titles, the way 30 days of history look; `extra` mixed in. */
function history(count: number, extra: JobRecord[]): JobRecord[] {
  const jobs = Array.from({ length: count }, (_, i) => makeJob({ title: `nightly export ${i}`, message: `row ${i}`, createdAt: 1_000 + i, status: 'completed' }));
  return [...jobs, ...extra];
}

describe('SQLite text searches on the reader thread', () => {
  it('a search scanning the table leaves the event loop free: a read posted after it is answered first', async () => {
    const { logger } = capturedLogger();
    const store = await openSqliteStore(join(root, 'busy.db'), { background: { logger } });
    try {
      await store.migrate();
      const needle = makeJob({ title: 'Quarterly ÉCOLE report', createdAt: 500_000, status: 'failed' });
      for (let i = 0; i < 40_000; i += 5_000) await store.jobs.insert(history(5_000, []).map((j) => ({ ...j, createdAt: j.createdAt + i })), 1);
      await store.jobs.insert([needle], 1);

      const order: string[] = [];
      const search = store.jobs.list({ text: 'école', limit: 10 }).then((page) => (order.push('search'), page));
      const read = store.jobs.get(needle.id).then((job) => (order.push('get'), job));
      const [page, got] = await Promise.all([search, read]);
      expect(order).toEqual(['get', 'search']);
      expect(got?.id).toBe(needle.id);
      // The thread folds case like the main connection (Unicode, not ASCII only).
      expect(page.items.map((j) => j.id)).toEqual([needle.id]);
    } finally {
      await store.close();
    }
  });

  it('pages through matches with the cursor and sees what the main connection committed just before', async () => {
    const { logger } = capturedLogger();
    const store = await openSqliteStore(join(root, 'pages.db'), { background: { logger } });
    try {
      await store.migrate();
      await store.jobs.insert(history(30, []), 1);
      const first = await store.jobs.list({ text: 'EXPORT 2', limit: 5, sort: 'createdAt' });
      expect(first.items.map((j) => j.title)).toEqual(['nightly export 2', 'nightly export 20', 'nightly export 21', 'nightly export 22', 'nightly export 23']);
      const second = await store.jobs.list({ text: 'EXPORT 2', limit: 5, sort: 'createdAt', cursor: first.nextCursor! });
      expect(second.items.map((j) => j.title)).toEqual(['nightly export 24', 'nightly export 25', 'nightly export 26', 'nightly export 27', 'nightly export 28']);

      const late = makeJob({ title: 'just now', createdAt: 9_999 });
      await store.jobs.insert([late], 2);
      expect((await store.jobs.list({ text: 'just now', limit: 5 })).items.map((j) => j.id)).toEqual([late.id]);
    } finally {
      await store.close();
    }
  });

  it('a SQL error comes back as an error, and the thread goes on answering', async () => {
    const { logger } = capturedLogger();
    const store = await openSqliteStore(join(root, 'errors.db'), { background: { logger } });
    try {
      await store.migrate();
      const connection = (store as unknown as { db: { connection: Database.Database } }).db.connection;
      const reader = startReaderThread(connection, logger, () => {
        throw new Error('the fallback must not be used while the thread runs');
      });
      try {
        await expect(reader.all('SELECT * FROM no_such_table', [])).rejects.toThrow(/no such table/);
        await expect(reader.all<{ n: number }>('SELECT count(*) AS n FROM jobs', [])).resolves.toEqual([{ n: 0 }]);
        await expect(reader.all('DELETE FROM jobs RETURNING id', [])).rejects.toThrow(/readonly/);
      } finally {
        await reader.stop();
      }
    } finally {
      await store.close();
    }
  });

  it('when the thread cannot run, it logs why and searches run on the main connection', async () => {
    const { logger, lines } = capturedLogger();
    const asked: string[] = [];
    const reader = startReaderThread({ name: join(root, 'missing', 'gone.db') } as Database.Database, logger, (sql) => (asked.push(sql), [{ answered: 'here' }]));
    // Posted before the thread failed to open its file, or after: answered either way.
    const early = reader.all('SELECT 1', []);
    await expect(early).resolves.toEqual([{ answered: 'here' }]);
    await expect(reader.all('SELECT 2', [])).resolves.toEqual([{ answered: 'here' }]);
    expect(asked).toEqual(['SELECT 1', 'SELECT 2']);
    expect(lines.some((line) => line.level === 50 && line.msg.includes('reader thread stopped'))).toBe(true);
    await reader.stop();
  });

  it('a process with nothing else to do waits for its search instead of ending before the answer', async () => {
    expect(await runTsProcess(SEARCH_AND_EXIT, [join(root, 'alone.db')])).toEqual({ code: 0, out: '["the one to find"]\n' });
  });
});
