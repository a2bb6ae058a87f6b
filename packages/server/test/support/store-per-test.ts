import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../../src/store/store.js';

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
