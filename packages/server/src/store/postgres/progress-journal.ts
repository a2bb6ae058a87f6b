import { progressPatchOf } from '../progress-fields.js';
import type { JournalEntry, LeftJournal, ProgressPatch } from '../store.js';
import type { PgDb } from './pg-db.js';

export async function journalProgress(db: PgDb, nodeId: string, entries: readonly JournalEntry[]): Promise<number> {
  const patches = entries.map((entry) => progressPatchOf(entry.record, entry.fields));
  const row = await db.one<{ id: number }>('INSERT INTO progress_journal (node_id, patches) VALUES ($1, $2) RETURNING id', [nodeId, JSON.stringify(patches)]);
  return row!.id;
}

export async function dropJournal(db: PgDb, nodeId: string, throughId: number): Promise<void> {
  await db.run('DELETE FROM progress_journal WHERE node_id = $1 AND id <= $2', [nodeId, throughId]);
}

/** Every node's rows: a live node's may be read too, since a replay writes nothing older than what is stored. */
export async function leftJournal(db: PgDb): Promise<LeftJournal> {
  return journalRows(db, await db.all<{ id: number; patches: string }>('SELECT id, patches FROM progress_journal ORDER BY id'));
}

/** Other nodes' rows older than `olderThanMs` by the database's clock (node clocks may disagree). */
export async function abandonedJournal(db: PgDb, nodeId: string, olderThanMs: number): Promise<LeftJournal> {
  const sql = "SELECT id, patches FROM progress_journal WHERE node_id <> $1 AND written_at < now() - $2 * interval '1 millisecond' ORDER BY id";
  return journalRows(db, await db.all<{ id: number; patches: string }>(sql, [nodeId, olderThanMs]));
}

function journalRows(db: PgDb, rows: Array<{ id: number; patches: string }>): LeftJournal {
  const ids = rows.map((row) => row.id);
  return {
    rows: rows.map((row) => ({ id: row.id, patches: JSON.parse(row.patches) as ProgressPatch[] })),
    clear: async () => {
      if (ids.length > 0) await db.run('DELETE FROM progress_journal WHERE id = ANY($1::bigint[])', [ids]);
    },
  };
}
