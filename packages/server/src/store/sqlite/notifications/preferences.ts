import { defaultPreferences, withDefaults, type Preferences } from '../../../notify/preferences/schema.js';
import type { SqliteDb } from '../sqlite-db.js';
import { placeholders } from './rows.js';

const CHUNK = 500;

/** Stored documents merged over the defaults, so fields added by later releases get their default. */
export function getPreferences(db: SqliteDb, userIds: string[]): Map<string, Preferences> {
  const found = new Map<string, Preferences>();
  const unique = [...new Set(userIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = db.all<{ user_id: string; prefs: string }>(`SELECT user_id, prefs FROM notification_preferences WHERE user_id IN (${placeholders(chunk.length)})`, ...chunk);
    for (const row of rows) found.set(row.user_id, withDefaults(JSON.parse(row.prefs) as Partial<Preferences>));
  }
  return found;
}

function putPreferences(db: SqliteDb, userId: string, prefs: Preferences, now: number): void {
  db.run(
    'INSERT INTO notification_preferences (user_id, prefs, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET prefs = excluded.prefs, updated_at = excluded.updated_at',
    userId,
    JSON.stringify(prefs),
    now,
  );
}

/** Read, change and write in one BEGIN IMMEDIATE transaction: no other writer of the file can come between. */
export function updatePreferences(db: SqliteDb, userId: string, change: (current: Preferences) => Preferences, now: number): Preferences {
  return db.write(() => {
    const row = db.get<{ prefs: string }>('SELECT prefs FROM notification_preferences WHERE user_id = ?', userId);
    const current = row ? withDefaults(JSON.parse(row.prefs) as Partial<Preferences>) : defaultPreferences();
    const next = change(current);
    if (next !== current) putPreferences(db, userId, next, now);
    return next;
  });
}
