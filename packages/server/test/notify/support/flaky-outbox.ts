import type { NewNotification } from '../../../src/store/notification-store.js';
import type { Store } from '../../../src/store/store.js';

/** One `notifications.enqueue` transaction that committed: the cursor it saved and the rows it carried. */
export interface CommittedWrite {
  cursor: number | undefined;
  keys: string[];
}

/**
 * A real store whose outbox writes fail on demand, as a locked SQLite file or a dropped PostgreSQL
 * connection makes them fail: `failWhen` picks the writes to refuse (it sees the batch), and every
 * write that did commit is recorded in order.
 */
export class FlakyOutbox {
  readonly store: Store;
  readonly committed: CommittedWrite[] = [];
  failures = 0;
  failWhen: (notifications: NewNotification[]) => boolean = () => false;

  constructor(private readonly inner: Store) {
    const notifications = bindAll(inner.notifications, {
      enqueue: async (batch: Parameters<Store['notifications']['enqueue']>[0], now: number) => {
        if (this.failWhen(batch.notifications)) {
          this.failures++;
          throw new Error('SQLITE_BUSY: database is locked (injected by the test)');
        }
        const result = await inner.notifications.enqueue(batch, now);
        this.committed.push({ cursor: batch.cursor, keys: batch.notifications.map((n) => n.key) });
        return result;
      },
    });
    this.store = bindAll(inner, { notifications });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** `target` with some members replaced; every other method bound to `target` (stores keep private state). */
function bindAll<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}
