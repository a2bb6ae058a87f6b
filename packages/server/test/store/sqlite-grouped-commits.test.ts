import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { SqliteDb } from '../../src/store/sqlite/sqlite-db.js';
import type { JobChange, Store } from '../../src/store/store.js';
import { makeJob, seed } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'headway-grouped-commits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let opened = 0;
async function openCounting(): Promise<{ store: Store; path: string; transactions: () => number }> {
  const path = join(root, `commits-${++opened}.db`);
  const store = await openSqliteStore(path);
  await store.migrate();
  const db = (store as unknown as { db: SqliteDb }).db;
  let transactions = 0;
  const write = db.write.bind(db);
  db.write = <T>(work: () => T): T => {
    if (!db.connection.inTransaction) transactions++;
    return write(work);
  };
  return { store, path, transactions: () => transactions };
}

const start = (id: string, seq: number): JobChange => ({ id, expectedSeq: seq, patch: { status: 'running', startedAt: 2_000 }, events: [{ kind: 'transition', from: 'queued', to: 'running' }] });

/** The rows as another connection reads them: what is committed. */
function committedStatuses(path: string, ids: string[]): string[] {
  const other = new Database(path, { readonly: true });
  try {
    return ids.map((id) => (other.prepare('SELECT status FROM jobs WHERE id = ?').get(id) as { status: string } | undefined)?.status ?? 'missing');
  } finally {
    other.close();
  }
}

describe('SQLite job changes asked for in one turn are committed together', () => {
  it('writes them in one transaction, each answered once committed', async () => {
    const { store, path, transactions } = await openCounting();
    try {
      const jobs = await seed(store, Array.from({ length: 20 }, () => makeJob()));
      const before = transactions();
      const answers = await Promise.all(jobs.map((job) => store.jobs.commit(start(job.id, job.seq), 2_000)));
      expect(transactions() - before).toBe(1);
      expect(answers.every((answer) => answer.ok)).toBe(true);
      expect(answers.map((answer) => (answer.ok ? answer.events.map((event) => event.seq) : []))).toEqual(jobs.map((job) => [job.seq + 1]));
      expect(committedStatuses(path, jobs.map((job) => job.id))).toEqual(jobs.map(() => 'running'));
    } finally {
      await store.close();
    }
  });

  it('a change that fails is rolled back alone and its caller told; a lost race is answered as one; the others commit', async () => {
    const { store, path } = await openCounting();
    try {
      const [a, b, c, d] = await seed(store, [makeJob(), makeJob(), makeJob(), makeJob()]);
      const [okA, bad, raced, okD] = await Promise.allSettled([
        store.jobs.commit(start(a!.id, a!.seq), 2_000),
        // The CHECK on status refuses it, after its UPDATE began: its savepoint goes, not the group.
        store.jobs.commit({ id: b!.id, expectedSeq: b!.seq, patch: { status: 'exploded' as never }, events: [{ kind: 'transition', from: 'queued', to: 'running' }] }, 2_000),
        store.jobs.commit(start(c!.id, c!.seq + 5), 2_000),
        store.jobs.commit(start(d!.id, d!.seq), 2_000),
      ]);
      expect(okA).toMatchObject({ status: 'fulfilled', value: { ok: true } });
      expect(bad).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/CHECK constraint/) } });
      expect(raced).toMatchObject({ status: 'fulfilled', value: { ok: false, currentSeq: c!.seq } });
      expect(okD).toMatchObject({ status: 'fulfilled', value: { ok: true } });
      expect(committedStatuses(path, [a!.id, b!.id, c!.id, d!.id])).toEqual(['running', 'queued', 'queued', 'running']);
      expect(await store.jobs.events(b!.id, 0, 10)).toHaveLength(1); // its created event only
    } finally {
      await store.close();
    }
  });

  it('when the transaction itself cannot begin (another process holds the write lock past busy_timeout), every change of the group is refused and none written', async () => {
    const { store, path } = await openCounting();
    try {
      const [a, b] = await seed(store, [makeJob(), makeJob()]);
      const other = new Database(path);
      other.exec('BEGIN IMMEDIATE');
      try {
        const answers = await Promise.allSettled([store.jobs.commit(start(a!.id, a!.seq), 2_000), store.jobs.commit(start(b!.id, b!.seq), 2_000)]);
        expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
        expect(answers[0]).toMatchObject({ reason: { code: 'SQLITE_BUSY' } });
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(committedStatuses(path, [a!.id, b!.id])).toEqual(['queued', 'queued']);
      // The store goes on: the next change commits.
      await expect(store.jobs.commit(start(a!.id, a!.seq), 2_000)).resolves.toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });

  it('a change asked for just before the store closes is written, not lost', async () => {
    const { store, path } = await openCounting();
    const [job] = await seed(store, [makeJob()]);
    const committing = store.jobs.commit(start(job!.id, job!.seq), 2_000);
    await store.close();
    await expect(committing).resolves.toMatchObject({ ok: true });
    expect(committedStatuses(path, [job!.id])).toEqual(['running']);
  });
});
