import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { pino, type Logger } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsProcess } from '../support/ts-process.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { progressWrites } from '../../src/store/sqlite/progress.js';
import { startWriterThread } from '../../src/store/sqlite/writer-thread.js';
import type { Store } from '../../src/store/store.js';
import { storePerTest } from '../support/store-per-test.js';
import type { StoreContext } from './conformance.js';
import { progressTests } from './conformance/progress.js';
import { makeJob, seed } from './fixtures.js';

const SAVE_AND_EXIT = fileURLToPath(new URL('./fixtures/save-progress-and-exit.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'headway-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function capturedLogger(): { logger: Logger; lines: Array<{ msg: string; level: number }> } {
  const lines: Array<{ msg: string; level: number }> = [];
  return { logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) }), lines };
}

let opened = 0;
const openBackground = async (): Promise<Store> => openSqliteStore(join(root, `conformance-${++opened}.db`), { background: { logger: capturedLogger().logger } });
const connectionOf = (store: Store) => (store as unknown as { db: { connection: Database.Database } }).db.connection;

describe('SQLite progress writes on the writer thread', () => {
  describe('the saveProgress conformance suite, on a store with its threads', () => {
    const perTest = storePerTest(openBackground, () => Promise.reject(new Error('not used by these tests')));
    const context: StoreContext = {
      store: perTest.store,
      openSame: perTest.openSame,
      harness: { openSame: () => Promise.reject(new Error('not used')), recordFutureMigration: () => Promise.reject(new Error('not used')) },
    };
    progressTests(context);
  });

  it('a large write leaves the event loop free: a read posted after it is answered first, and the write says how long it took', async () => {
    const store = await openBackground();
    try {
      await store.migrate();
      const jobs = await seed(store, Array.from({ length: 20_000 }, () => makeJob({ status: 'running', total: 20_000 })));
      const order: string[] = [];
      const patches = jobs.map((job, i) => ({ id: job.id, seq: job.seq, done: i, percent: i / 200, message: `row ${i}`, updatedAt: 5_000 }));
      const saving = store.jobs.saveProgress(patches).then((saved) => (order.push('save'), saved));
      const reading = store.jobs.get(jobs[0]!.id).then((job) => (order.push('get'), job));
      const [saved, before] = await Promise.all([saving, reading]);
      expect(order).toEqual(['get', 'save']);
      expect(before?.done).toBe(0); // read on the main connection before the thread committed
      expect(saved.stale).toEqual([]);
      expect(saved.busyMs).toBeGreaterThan(0);
      expect(await store.jobs.get(jobs[19_999]!.id)).toMatchObject({ done: 19_999, message: 'row 19999', updatedAt: 5_000 });
    } finally {
      await store.close();
    }
  });

  it('a transition committed on the main connection while the thread writes waits for its lock; the progress taken at the old seq is reported stale, not written', async () => {
    const store = await openBackground();
    try {
      await store.migrate();
      const jobs = await seed(store, Array.from({ length: 5_000 }, () => makeJob({ status: 'running' })));
      const moved = jobs[4_999]!;
      const saving = store.jobs.saveProgress(jobs.map((job) => ({ id: job.id, seq: job.seq, done: 7, updatedAt: 5_000 })));
      // Posted after the write, committed on the main connection: before or after it, never in the middle.
      const committed = await store.jobs.commit({ id: moved.id, expectedSeq: moved.seq, patch: { control: 'pause' }, events: [{ kind: 'control', intent: 'pause' }] }, 5_000);
      expect(committed.ok).toBe(true);
      const saved = await saving;
      const after = await store.jobs.get(moved.id);
      if (saved.stale.length === 0) {
        // The thread committed first: the transition came after, on top of the progress.
        expect(after).toMatchObject({ control: 'pause', done: 7, seq: moved.seq + 1 });
      } else {
        expect(saved.stale).toEqual([moved.id]);
        expect(after).toMatchObject({ control: 'pause', done: 0, seq: moved.seq + 1 });
      }
      expect((await store.jobs.get(jobs[0]!.id))?.done).toBe(7);
    } finally {
      await store.close();
    }
  });

  it('a SQL error comes back as an error, and the thread goes on writing', async () => {
    const { logger } = capturedLogger();
    const store = await openBackground();
    try {
      await store.migrate();
      const [job] = await seed(store, [makeJob({ status: 'running' })]);
      let commits = 0;
      const writer = startWriterThread(connectionOf(store), logger, { busyTimeoutMs: 1_000, onWrite: () => commits++ }, () => {
        throw new Error('the fallback must not be used while the thread runs');
      });
      try {
        await expect(writer.write({ sql: ['UPDATE no_such_table SET done = ?'], statementOf: [0], values: [[1]], guardedIds: [null] })).rejects.toThrow(/no such table/);
        const writes = progressWrites([{ id: job!.id, seq: job!.seq, done: 3 }, { id: 'gone', seq: 1, done: 3 }]);
        await expect(writer.write(writes)).resolves.toMatchObject({ unchanged: [1] });
        expect(commits).toBe(1);
        expect((await store.jobs.get(job!.id))?.done).toBe(3);
      } finally {
        await writer.stop();
      }
    } finally {
      await store.close();
    }
  });

  it('when the thread cannot run, it logs why and progress is written on the main connection', async () => {
    const { logger, lines } = capturedLogger();
    const written: number[] = [];
    const writer = startWriterThread({ name: join(root, 'missing', 'gone.db') } as Database.Database, logger, { busyTimeoutMs: 1_000, onWrite: () => undefined }, (writes) => {
      written.push(writes.values.length);
      return [0];
    });
    const writes = progressWrites([{ id: 'a', done: 1 }]);
    // Posted before the thread failed to open its file, or after: written either way.
    await expect(writer.write(writes)).resolves.toMatchObject({ unchanged: [0] });
    await expect(writer.write(writes)).resolves.toMatchObject({ unchanged: [0] });
    expect(written).toEqual([1, 1]);
    expect(lines.some((line) => line.level === 50 && line.msg.includes('writer thread stopped'))).toBe(true);
    await writer.stop();
  });

  it('a process with nothing else to do waits for its write instead of ending before it is committed', async () => {
    const path = join(root, 'alone.db');
    expect(await runTsProcess(SAVE_AND_EXIT, [path])).toEqual({ code: 0, out: '{"done":42,"stale":[]}\n' });
  });
});
