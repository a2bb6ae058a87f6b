import { HeadwayError } from '@headway/protocol';
import type { NotificationStore } from '../../notification-store.js';
import type { SqliteDb } from '../sqlite-db.js';
import { claimDue, complete, defer, markEscalated, requeueLeased, skip } from './dispatch.js';
import { flushDigests } from './digests.js';
import { enqueue, savedCursor } from './enqueue.js';
import { markAt, unreadCount } from './in-app.js';
import { countByStatus, getNotification, listNotifications } from './list.js';
import { getPreferences, updatePreferences } from './preferences.js';
import { purgeExpired } from './purge.js';
import { deleteTemplate, getTemplate, listTemplates, putTemplate } from './templates.js';
import { unwatch, watch, watchers, watchesOf } from './watches.js';

/** The SQLite notification store: one file per operation beside this one. */
export function sqliteNotificationStore(db: SqliteDb): NotificationStore {
  return {
    getPreferences: async (userIds) => getPreferences(db, userIds),
    updatePreferences: async (userId, change, now) => updatePreferences(db, userId, change, now),
    watch: async (w) => watch(db, w),
    unwatch: async (userId, target) => unwatch(db, userId, target),
    watchesOf: async (userId) => watchesOf(db, userId),
    watchers: async (jobIds, jobType) => watchers(db, jobIds, jobType),
    getTemplate: async (type, channel) => getTemplate(db, type, channel),
    listTemplates: async () => listTemplates(db),
    putTemplate: async (type, channel, template, now) => putTemplate(db, type, channel, template, now),
    deleteTemplate: async (type, channel) => deleteTemplate(db, type, channel),
    enqueue: async (batch, now) => enqueue(db, batch, now),
    savedCursor: async () => savedCursor(db),
    flushDigests: async (now, newId) => flushDigests(db, now, newId),
    claimDue: async (leaseOwner, now, leaseExpiresAt, limit) => claimDue(db, leaseOwner, now, leaseExpiresAt, limit),
    requeueLeased: async (request, now) => requeueLeased(db, request, now),
    complete: async (outcome, now) => complete(db, outcome, now),
    defer: async (id, leaseOwner, dueAt, now) => defer(db, id, leaseOwner, dueAt, now),
    skip: async (id, leaseOwner, reason, now) => skip(db, id, leaseOwner, reason, now),
    markEscalated: async (id) => markEscalated(db, id),
    get: async (id) => getNotification(db, id),
    list: async (query) => {
      try {
        return listNotifications(db, query);
      } catch (error) {
        if (error instanceof Error && error.message === 'bad cursor') throw new HeadwayError('VALIDATION_FAILED', 'query parameter "cursor" is not one this server gave out; pass nextCursor from the previous page');
        throw error;
      }
    },
    countByStatus: async () => countByStatus(db),
    purgeExpired: async (before, limit) => purgeExpired(db, before, limit),
    unreadCount: async (userId) => unreadCount(db, userId),
    markRead: async (userId, ids, now) => markAt(db, 'read_at', userId, ids, now),
    markSeen: async (userId, ids, now) => markAt(db, 'seen_at', userId, ids, now),
  };
}
