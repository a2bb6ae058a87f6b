import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { FinishedTextIndexer } from '../../src/service/finished-text-indexer.js';
import { RetentionSweeper } from '../../src/service/retention.js';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sql.generated.js';
import { indexedPhraseFor, trigramPhrase } from '../../src/store/sqlite/finished-text-index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { migrateSqlite } from '../../src/store/sqlite/migrate.js';
import { SqliteDb } from '../../src/store/sqlite/sqlite-db.js';
import type { Store } from '../../src/store/store.js';
import { ids, makeJob } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'headway-text-index-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const opened: Store[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of opened.splice(0)) await store.close();
});

async function freshStore(name: string): Promise<{ store: Store; file: string }> {
  const file = join(root, `${name}.db`);
  const store = await openSqliteStore(file);
  opened.push(store);
  await store.migrate();
  return { store, file };
}

async function indexAll(store: Store): Promise<void> {
  while ((await store.jobs.indexFinishedTexts(500)) > 0);
}

/** Reads the file on a connection of its own, as the reader thread does. */
function readOnly<T>(file: string, read: (db: SqliteDb) => T): T {
  const db = new SqliteDb(new Database(file, { readonly: true }));
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('SQLite finished-text index', () => {
  it('asks the index only for needles it answers exactly like the search: three characters or more, no U+0307', () => {
    expect(trigramPhrase('ab')).toBeNull();
    expect(trigramPhrase('ée')).toBeNull();
    expect(trigramPhrase('i̇st')).toBeNull(); // 'İst'.toLowerCase(): FTS5 folds İ to a plain i
    expect(trigramPhrase('abc')).toBe('"abc"');
    expect(trigramPhrase('say "hi"')).toBe('"say ""hi"""');
  });

  it('takes candidates from the index when few finished jobs match, and reads jobs newest first when many do', async () => {
    const { store, file } = await freshStore('probe');
    await store.jobs.insert(
      Array.from({ length: 1_100 }, (_, i) => makeJob({ status: 'completed', title: `export ${i} for customer-${i % 100}`, createdAt: 1_000 + i })),
      1,
    );
    await indexAll(store);
    const scan = async <R>(sql: string, params: unknown[]) => readOnly(file, (db) => db.all<R>(sql, ...params));
    expect(await indexedPhraseFor(scan, 'customer-42')).toBe('"customer-42"'); // 11 matches
    expect(await indexedPhraseFor(scan, 'export')).toBeNull(); // 1,100
    expect(await indexedPhraseFor(scan, 'nowhere')).toBe('"nowhere"');
    expect(await indexedPhraseFor(scan, 'ex')).toBeNull();
  });

  it('retention merges the index afterwards, step by step, taking back the space of the purged jobs', async () => {
    const { store, file } = await freshStore('tidy');
    const DAY_MS = 86_400_000;
    const now = Date.now();
    // Indexed in many small batches: many segments, as jobs finishing over days leave them.
    for (let batch = 0; batch < 40; batch++) {
      const jobs = Array.from({ length: 100 }, (_, i) =>
        makeJob({ status: 'completed', title: `nightly export ${batch}-${i} of the customers table`, createdAt: now - 40 * DAY_MS, finishedAt: now - 40 * DAY_MS + batch * 100 + i }),
      );
      await store.jobs.insert(jobs, 1);
      await store.jobs.indexFinishedTexts(100);
    }
    const recent = makeJob({ status: 'completed', title: 'nightly export kept', createdAt: now - DAY_MS, finishedAt: now - DAY_MS });
    await store.jobs.insert([recent], 1);
    await indexAll(store);
    const pages = () => readOnly(file, (db) => db.get<{ pages: number }>('SELECT count(*) AS pages FROM finished_text_index_data')!.pages);
    const before = pages();

    const tidy = vi.spyOn(store.jobs, 'tidyTextIndex');
    expect(await new RetentionSweeper(store, pino({ level: 'silent' }), () => now, 30).sweep()).toBe(4_000);
    expect(tidy.mock.calls.length).toBeGreaterThan(1);
    expect(await tidy.mock.results.at(-1)!.value).toBe(false);
    expect(pages()).toBeLessThan(before / 4);
    expect(ids((await store.jobs.list({ text: 'nightly export', limit: 10 })).items)).toEqual([recent.id]);
  });

  it('indexes the jobs of a file from before the index as it migrates', async () => {
    const file = join(root, 'before-0007.db');
    const old = new SqliteDb(new Database(file));
    migrateSqlite(old, 1_000, SQLITE_MIGRATIONS.filter((m) => m.version < 7));
    const insert = old.connection.prepare(
      "INSERT INTO jobs (id, type, title, status, control, metrics, max_attempts, created_at, updated_at, active_at, seq) VALUES (?, 'import', ?, ?, 'run', '{}', 3, ?, ?, ?, 1)",
    );
    insert.run('finished-before', 'quarterly ledger export', 'completed', 1_000, 1_000, 1_000);
    insert.run('running-before', 'quarterly ledger import', 'running', 2_000, 2_000, 2_000);
    old.close();

    const store = await openSqliteStore(file);
    opened.push(store);
    await store.migrate();
    expect(readOnly(file, (db) => db.all('SELECT job_id, indexed FROM finished_texts'))).toEqual([{ job_id: 'finished-before', indexed: 1 }]);
    expect(await store.jobs.indexFinishedTexts(500)).toBe(0);
    expect(ids((await store.jobs.list({ text: 'quarterly ledger', limit: 10, sort: 'createdAt' })).items)).toEqual(['finished-before', 'running-before']);
  });

  it('the indexer takes what waits in batches of 500 until none is left', async () => {
    const { store, file } = await freshStore('indexer');
    await store.jobs.insert(Array.from({ length: 1_200 }, (_, i) => makeJob({ status: 'completed', title: `job ${i}`, createdAt: i })), 1);
    const batches = vi.spyOn(store.jobs, 'indexFinishedTexts');
    expect(await new FinishedTextIndexer(store, pino({ level: 'silent' })).indexWaiting()).toBe(1_200);
    expect(await Promise.all(batches.mock.results.map((result) => result.value))).toEqual([500, 500, 200]);
    expect(readOnly(file, (db) => db.get<{ waiting: number }>('SELECT count(*) AS waiting FROM finished_texts WHERE indexed = 0')!.waiting)).toBe(0);
  });
});
