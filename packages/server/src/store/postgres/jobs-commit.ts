import type { CommitResult, JobChange } from '../store.js';
import { columnOf, isJsonField, patchFields } from '../job-columns.js';
import { appendEventsCtes, eventRowsParam, withCursors } from './events.js';
import type { PgDb, Queryable, Sql } from './pg-db.js';
import { replaceTags } from './tags.js';

/**
 * Applies one change if the job's seq still equals `expectedSeq`: a compare-and-set in the
 * UPDATE's WHERE. Under READ COMMITTED a second writer blocks on the row lock, then re-checks
 * the WHERE against the committed row, finds seq moved and changes nothing: of two nodes racing
 * on one job exactly one wins, and seq never repeats or skips. The update and its events are one
 * statement (one round trip); a change of tags also rewrites job_tags, in a transaction.
 */
export async function commitChange(db: PgDb, change: JobChange, now: number): Promise<CommitResult> {
  const fields = patchFields(change);
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const sets = fields.map((field) => {
    const value = (change.patch as Record<string, unknown>)[field] ?? null;
    return isJsonField(field) ? `${columnOf(field)} = ${bind(value === null ? null : JSON.stringify(value))}::jsonb` : `${columnOf(field)} = ${bind(value)}`;
  });
  sets.push(`seq = seq + ${bind(change.events.length)}`);
  const update = `UPDATE jobs SET ${sets.join(', ')} WHERE id = ${bind(change.id)} AND seq = ${bind(change.expectedSeq)} RETURNING seq`;
  const events = change.events.map((event, i) => ({ jobId: change.id, seq: change.expectedSeq + 1 + i, at: now, event }));
  const eventsParam = bind(eventRowsParam(events));
  const text = `WITH updated AS (${update}), ${appendEventsCtes(eventsParam, bind(db.options.schema), 'updated')}
    SELECT a.cursor, a.job_id, a.seq FROM updated LEFT JOIN appended a ON TRUE`;
  const sql = named(text);

  const apply = async (client?: Queryable): Promise<CommitResult> => {
    const rows = await db.all<{ cursor: number | null; job_id: string | null; seq: number | null }>(sql, params, client);
    if (rows.length === 0) {
      // Lost the race: read the seq that won, with a snapshot taken after it committed.
      const current = await db.one<{ seq: number }>('SELECT seq FROM jobs WHERE id = $1', [change.id], client);
      return { ok: false, currentSeq: current?.seq ?? null };
    }
    if (client && fields.includes('tags')) await replaceTags(db, client, change.id, change.patch.tags);
    return { ok: true, events: withCursors(events, rows.filter((row): row is { cursor: number; job_id: string; seq: number } => row.cursor !== null)) };
  };
  return fields.includes('tags') ? db.transaction((client) => apply(client)) : apply();
}

/**
 * A commit's statement is named by its text (one per set of fields a change writes: a few dozen
 * at most), so each connection parses and plans it once: planning the CTE each time held the
 * event-cursor lock longer and capped transitions at 1,200 a second (1,800–2,100 named). Past
 * MAX_NAMED texts, the rest go unnamed rather than grow every connection's prepared statements.
 */
const MAX_NAMED = 200;
const statementNames = new Map<string, string>();

function named(text: string): Sql {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_NAMED) statementNames.set(text, (name = `headway_commit_${statementNames.size + 1}`));
  return name ? { name, text } : text;
}
