import { describe } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { storePerTest } from '../support/store-per-test.js';
import { analyticsTests } from './conformance/analytics.js';
import { claimTests } from './conformance/claim.js';
import { commitTests } from './conformance/commit.js';
import { eventTests } from './conformance/events.js';
import { idempotencyKeyTests, insertTests } from './conformance/insert.js';
import { keyTests } from './conformance/keys.js';
import { listTests } from './conformance/list.js';
import { migrationTests } from './conformance/migrations.js';
import { progressTests } from './conformance/progress.js';
import { requeueTests } from './conformance/requeue.js';
import { runningFactsTests } from './conformance/running-facts.js';
import { summaryTests } from './conformance/summary.js';
import { textSearchTests } from './conformance/text-search.js';

/** What the suite needs from an implementation beyond `Store` itself. */
export interface StoreHarness {
  /** Opens another store on the same database as `store` (the same SQLite file, the same PostgreSQL schema). */
  openSame(store: Store): Promise<Store>;
  /** Records a migration version this code does not know in schema_migrations, as a newer release would. */
  recordFutureMigration(store: Store, version: number): Promise<void>;
}

/** The running test's store, fresh for each test and migrated. */
export interface StoreContext {
  store(): Store;
  harness: StoreHarness;
  /** Opens another store on the same database; closed after the test. */
  openSame(): Promise<Store>;
}

/**
 * One behaviour suite every Store implementation must pass unchanged (SQLite now, PostgreSQL
 * later): each test gets a fresh database from `openFresh` (a new file, a new schema) and calls
 * `migrate()` itself. `close()` must be idempotent: some tests close a store the suite closes again.
 */
export function describeStoreConformance(name: string, openFresh: () => Promise<Store>, harness: StoreHarness): void {
  describe(`Store conformance: ${name}`, () => {
    const perTest = storePerTest(openFresh, harness.openSame);
    const context: StoreContext = { store: perTest.store, harness, openSame: perTest.openSame };
    describe('insert and get', () => insertTests(context));
    describe('idempotency keys', () => idempotencyKeyTests(context));
    describe('list', () => listTests(context));
    describe('text search', () => textSearchTests(context));
    describe('commit', () => commitTests(context));
    describe('events', () => eventTests(context));
    describe('saveProgress', () => progressTests(context));
    describe('claim and leases', () => claimTests(context));
    describe('requeue', () => requeueTests(context));
    describe('runningFacts', () => runningFactsTests(context));
    describe('childSummary, recentDurations, purgeFinished', () => summaryTests(context));
    describe('keys and settings', () => keyTests(context));
    describe('migrations', () => migrationTests(context));
    describe('analytics', () => analyticsTests(context));
  });
}
