import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { describeStoreConformance } from './conformance.js';

const root = mkdtempSync(join(tmpdir(), 'headway-store-'));
const fileOf = new WeakMap<Store, string>();
let count = 0;

async function openFile(path: string): Promise<Store> {
  const store = await openSqliteStore(path);
  fileOf.set(store, path);
  return store;
}

describeStoreConformance('sqlite', () => openFile(join(root, `test-${++count}.db`)), {
  openSame: (store) => openFile(fileOf.get(store)!),
  async recordFutureMigration(store, version) {
    const db = new Database(fileOf.get(store)!);
    try {
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(version, `${version}_from_the_future`, Date.now());
    } finally {
      db.close();
    }
  },
});

afterAll(() => rmSync(root, { recursive: true, force: true }));
