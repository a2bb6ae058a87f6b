import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { dropTestDb, freshTestDb } from './test-db.js';

/** The store the running test of a conformance suite works on, and how to open a second one. */
export interface StorePerTest {
  /** The running test's store: on a fresh database, migrated. */
  store(): Store;
  /** Another store on the running test's database (a second node); closed after the test. */
  openSame(): Promise<Store>;
}

/**
 * Registers, in the calling describe, hooks that give each test a fresh migrated store from
 * `openFresh` and close it, and every store `openSame` opened beside it, after the test. A
 * store's close() must be idempotent: some tests close a store themselves.
 */
export function storePerTest(openFresh: () => Promise<Store>, openSame: (store: Store) => Promise<Store>): StorePerTest {
  let current: Store | null = null;
  let extra: Store[] = [];
  beforeEach(async () => {
    current = await openFresh();
    await current.migrate();
  });
  afterEach(async () => {
    for (const store of [...extra, current]) await store?.close();
    extra = [];
    current = null;
  });
  const store = () => {
    if (!current) throw new Error('no store: the suite opens one per test');
    return current;
  };
  return {
    store,
    openSame: async () => {
      const other = await openSame(store());
      extra.push(other);
      return other;
    },
  };
}

/**
 * Registers, in the calling file or describe, hooks that give each test a fresh migrated store on
 * the store HEADWAY_TEST_STORE names (test-db.ts), close and drop it after the test, and remove the
 * temp folder after all. Returns the running test's store.
 */
export function testStorePerTest(prefix: string): () => Store {
  const root = mkdtempSync(join(tmpdir(), `headway-${prefix}-`));
  let current: { store: Store; db: string } | null = null;
  beforeEach(async () => {
    const db = freshTestDb(mkdtempSync(join(root, 'db-')));
    const store = await openStore(db);
    current = { store, db };
    await store.migrate();
  });
  afterEach(async () => {
    if (!current) return;
    const { store, db } = current;
    current = null;
    await store.close();
    await dropTestDb(db);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return () => {
    if (!current) throw new Error('no store: testStorePerTest opens one per test');
    return current.store;
  };
}
