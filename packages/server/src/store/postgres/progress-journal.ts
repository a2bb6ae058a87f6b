import type { JournalRow, ProgressPatch } from '../store.js';
import type { PgDb } from './pg-db.js';

export async function journalProgress(db: PgDb, nodeId: string, patches: readonly ProgressPatch[]): Promise<number> {
  const row = await db.one<{ id: number }>('INSERT INTO progress_journal (node_id, patches) VALUES ($1, $2) RETURNING id', [nodeId, JSON.stringify(patches)]);
  return row!.id;
}

export async function dropJournal(db: PgDb, nodeId: string, throughId: number): Promise<void> {
  await db.run('DELETE FROM progress_journal WHERE node_id = $1 AND id <= $2', [nodeId, throughId]);
}

export async function readJournal(db: PgDb, afterId: number, limit: number): Promise<JournalRow[]> {
  const rows = await db.all<{ id: number; patches: string }>('SELECT id, patches FROM progress_journal WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit]);
  return rows.map((row) => ({ id: row.id, patches: JSON.parse(row.patches) as ProgressPatch[] }));
}

export async function deleteJournalRows(db: PgDb, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await db.run('DELETE FROM progress_journal WHERE id = ANY($1::bigint[])', [ids]);
}
