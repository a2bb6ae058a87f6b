import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { sqliteTestFiles } from '../support/store-databases.js';
import { describeStoreConformance } from './conformance.js';

const files = sqliteTestFiles('store');

describeStoreConformance('sqlite', files.openFresh, {
  openSame: files.openSame,
  async recordFutureMigration(store, version) {
    const db = new Database(files.fileOf(store));
    try {
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(version, `${version}_from_the_future`, Date.now());
    } finally {
      db.close();
    }
  },
});

afterAll(() => files.removeAll());
