import { defaultPreferences, withDefaults, type Preferences } from '../../../notify/preferences/schema.js';
import type { PgDb } from '../pg-db.js';

const LOCK_ROW = 'SELECT prefs FROM notification_preferences WHERE user_id = $1 FOR UPDATE';
const UPDATE = 'UPDATE notification_preferences SET prefs = $2::jsonb, updated_at = $3 WHERE user_id = $1';
const INSERT_NEW = 'INSERT INTO notification_preferences (user_id, prefs, updated_at) VALUES ($1, $2::jsonb, $3) ON CONFLICT (user_id) DO NOTHING';

/**
 * Read, change and write under the row lock (SELECT … FOR UPDATE), so writers of one user's
 * preferences take turns. A missing row cannot be locked: when another transaction inserts it
 * first, our INSERT waits for that commit, does nothing, and we read the row again, locked.
 */
export async function updatePreferences(db: PgDb, userId: string, change: (current: Preferences) => Preferences, now: number): Promise<Preferences> {
  return db.transaction(async (client) => {
    for (;;) {
      const row = await db.one<{ prefs: Partial<Preferences> }>(LOCK_ROW, [userId], client);
      const current = row ? withDefaults(row.prefs) : defaultPreferences();
      const next = change(current);
      if (next === current) return current;
      if (row) {
        await db.run(UPDATE, [userId, JSON.stringify(next), now], client);
        return next;
      }
      if ((await db.run(INSERT_NEW, [userId, JSON.stringify(next), now], client)) > 0) return next;
    }
  });
}
