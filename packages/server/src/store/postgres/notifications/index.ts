import type { NotificationStore } from '../../notification-store.js';
import type { PgDb } from '../pg-db.js';
import { claimDue, complete, defer, flushDigests, requeueLeased, skip } from './dispatch.js';
import { enqueue, savedCursor } from './enqueue.js';
import { countByStatus, getNotification, listNotifications, markAt, unreadCount } from './read.js';
import { updatePreferences } from './preferences-update.js';
import { purgeExpired } from './purge.js';
import { postgresNotificationSettings } from './settings.js';

/** The PostgreSQL notification store: the same contract as SQLite's, shared by several nodes. */
export function postgresNotificationStore(db: PgDb): NotificationStore {
  return {
    ...postgresNotificationSettings(db),
    updatePreferences: (userId, change, now) => updatePreferences(db, userId, change, now),
    enqueue: (batch, now) => enqueue(db, batch, now),
    savedCursor: () => savedCursor(db),
    flushDigests: (now, newId) => flushDigests(db, now, newId),
    claimDue: (leaseOwner, now, leaseExpiresAt, limit) => claimDue(db, leaseOwner, now, leaseExpiresAt, limit),
    requeueLeased: (request, now) => requeueLeased(db, request, now),
    complete: (outcome, now) => complete(db, outcome, now),
    defer: (id, leaseOwner, dueAt, now) => defer(db, id, leaseOwner, dueAt, now),
    skip: (id, leaseOwner, reason, now) => skip(db, id, leaseOwner, reason, now),
    markEscalated: async (id) => void (await db.run('UPDATE notifications SET escalated = TRUE WHERE id = $1', [id])),
    get: (id) => getNotification(db, id),
    list: (query) => listNotifications(db, query),
    countByStatus: () => countByStatus(db),
    purgeExpired: (before, limit) => purgeExpired(db, before, limit),
    unreadCount: (userId) => unreadCount(db, userId),
    markRead: (userId, ids, now) => markAt(db, 'read_at', userId, ids, now),
    markSeen: (userId, ids, now) => markAt(db, 'seen_at', userId, ids, now),
  };
}
