import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { makeJob } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'headway-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SQLite store files', () => {
  it('creates missing folders and puts the file in WAL mode', async () => {
    const path = join(root, 'nested', 'deeper', 'headway.db');
    const store = await openSqliteStore(path);
    await store.migrate();
    expect(existsSync(path)).toBe(true);
    // journal_mode persists in the file, so a second connection can read it back.
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    await store.close();
    await store.close(); // closing twice is harmless
  });

  it('works in memory for throwaway use', async () => {
    const store = await openStore(':memory:');
    await store.migrate();
    const job = makeJob();
    await store.jobs.insert([job], 1);
    expect(await store.jobs.get(job.id)).toMatchObject({ id: job.id, seq: 1 });
    await store.close();
  });

  it('openStore opens a SQLite path, and an unreachable postgres:// URL fails clearly without echoing credentials', async () => {
    const store = await openStore(join(root, 'via-open-store.db'));
    expect(store.dialect).toBe('sqlite');
    await store.close();
    // Port 1: nothing listens there, so the PostgreSQL store cannot connect.
    const refused = openStore('postgres://admin:s3cret@127.0.0.1:1/headway');
    await expect(refused).rejects.toMatchObject({ code: 'NOT_READY', message: expect.stringMatching(/PostgreSQL/) });
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('s3cret') });
  });

  it('the text filter folds non-ASCII case too', async () => {
    const store = await openSqliteStore(join(root, 'unicode.db'));
    await store.migrate();
    const job = makeJob({ title: 'ÜBERSICHT Ärger' });
    await store.jobs.insert([job], 1);
    expect((await store.jobs.list({ text: 'übersicht ä', limit: 10 })).items.map((j) => j.id)).toEqual([job.id]);
    await store.close();
  });
});
