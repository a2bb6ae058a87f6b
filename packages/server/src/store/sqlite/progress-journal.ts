import type { JournalRow, ProgressPatch } from '../store.js';
import type { SqliteDb } from './sqlite-db.js';

export function journalProgress(db: SqliteDb, nodeId: string, patches: readonly ProgressPatch[]): number {
  return Number(db.write(() => db.run('INSERT INTO progress_journal (node_id, patches) VALUES (?, ?)', nodeId, JSON.stringify(patches)).lastInsertRowid));
}

export function dropJournal(db: SqliteDb, nodeId: string, throughId: number): void {
  db.write(() => db.run('DELETE FROM progress_journal WHERE node_id = ? AND id <= ?', nodeId, throughId));
}

export function readJournal(db: SqliteDb, afterId: number, limit: number): JournalRow[] {
  return db
    .all<{ id: number; patches: string }>('SELECT id, patches FROM progress_journal WHERE id > ? ORDER BY id LIMIT ?', afterId, limit)
    .map((row) => ({ id: row.id, patches: JSON.parse(row.patches) as ProgressPatch[] }));
}

export function deleteJournalRows(db: SqliteDb, ids: readonly number[]): void {
  if (ids.length > 0) db.write(() => db.run('DELETE FROM progress_journal WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids)));
}
