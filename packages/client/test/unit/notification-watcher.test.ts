import { describe, expect, it } from 'vitest';
import type { WatchUpdate } from '../../src/index.js';
import { isInAppNotification, notificationWatcher } from '../../src/notifications/notification-watcher.js';

const update = (cause: WatchUpdate['cause']): WatchUpdate => ({ channel: 'user:ada', jobs: [], job: undefined, events: [], cause });
const NOTIFICATION = { id: 'n1', userId: 'ada', type: 'job.completed', channel: 'in_app', createdAt: 1, readAt: null };

describe('notification watcher', () => {
  it('syncs on the first state it hears (whatever its cause), then on every snapshot or resync, not on job events', () => {
    let syncs = 0;
    const watcher = notificationWatcher(() => {}, { onSync: () => syncs++ });
    watcher.onUpdate(update('event'));
    expect(syncs).toBe(1);
    watcher.onUpdate(update('event'));
    watcher.onUpdate(update('progress'));
    expect(syncs).toBe(1);
    watcher.onUpdate(update('snapshot'));
    watcher.onUpdate(update('resync'));
    expect(syncs).toBe(3);
  });

  it('passes on notifications and drops payloads that are not one', () => {
    const seen: string[] = [];
    const watcher = notificationWatcher((n) => seen.push(n.id), {});
    watcher.onNotification?.(NOTIFICATION);
    watcher.onNotification?.({ id: 7 });
    watcher.onNotification?.(null);
    expect(seen).toEqual(['n1']);
    expect(isInAppNotification('n1')).toBe(false);
  });
});
