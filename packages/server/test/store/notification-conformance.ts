import { describe } from 'vitest';
import type { NotificationStore } from '../../src/store/notification-store.js';
import type { Store } from '../../src/store/store.js';
import { storePerTest } from '../support/store-per-test.js';
import { digestTests } from './notification-conformance/digests.js';
import { dispatchTests } from './notification-conformance/dispatch.js';
import { enqueueTests } from './notification-conformance/enqueue.js';
import { inAppTests } from './notification-conformance/in-app.js';
import { listTests } from './notification-conformance/list.js';
import { purgeTests } from './notification-conformance/purge.js';
import { settingsTests } from './notification-conformance/settings.js';

/** The running test's notification store, on a fresh migrated database. */
export interface NotificationStoreContext {
  notifications(): NotificationStore;
  /** Another store on the same database (a second node); closed after the test. */
  openSame(): Promise<NotificationStore>;
}

/**
 * One behaviour suite every NotificationStore runs unchanged (SQLite, PostgreSQL), as the Store
 * conformance suite does for jobs: each test opens a fresh database with `openFresh`, and
 * `openSame` opens a second store on it (the same file, the same schema).
 */
export function describeNotificationStoreConformance(name: string, openFresh: () => Promise<Store>, openSame: (store: Store) => Promise<Store>): void {
  describe(`NotificationStore conformance: ${name}`, () => {
    const perTest = storePerTest(openFresh, openSame);
    const context: NotificationStoreContext = {
      notifications: () => perTest.store().notifications,
      openSame: async () => (await perTest.openSame()).notifications,
    };
    describe('enqueue and the event cursor', () => enqueueTests(context));
    describe('claim, attempts, retry, dead', () => dispatchTests(context));
    describe('list and counts', () => listTests(context));
    describe('in-app read state', () => inAppTests(context));
    describe('preferences, watches, templates', () => settingsTests(context));
    describe('digests', () => digestTests(context));
    describe('retention', () => purgeTests(context));
  });
}
