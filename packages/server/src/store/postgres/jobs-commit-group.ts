import type { JobEvent } from '@headway/protocol';
import type { JobChange } from '../store.js';
import { columnOf, patchFields, type JobField } from '../job-columns.js';
import { eventRows, withCursors, type NewEvent } from './events.js';
import { EVENTS_LOCK_CLASS } from './locks.js';
import type { PgDb } from './pg-db.js';

/** What became of a group: the jobs whose rows it locked, and among them those whose change committed, with its events. */
export interface GroupOutcome {
  locked: Set<string>;
  committed: Map<string, JobEvent[]>;
}

/** A row locked; its job's id if its change was written; one of the events it appended, if any. */
interface GroupRow {
  locked: string;
  id: string | null;
  cursor: number | null;
  job_id: string | null;
  seq: number | null;
}

/** A change with the time it was asked for at (its events' `at`). */
export interface TimedChange {
  change: JobChange;
  now: number;
}

/**
 * Commits changes of several jobs in one statement: one round trip, one hold of the events lock
 * and one commit (one WAL flush) for all of them, where each change alone holds the lock through
 * its own commit. Each change is still a compare-and-set on its job's seq: one that lost its race
 * changes nothing (locked, not committed); the others commit. Changes must be of distinct jobs, without tags (those rewrite job_tags:
 * commitChange does them one at a time).
 *
 * Deadlocks: a statement that writes several rows and waits for one of them could wait in a
 * cycle with another such statement (the progress flush, another node's group) that holds one of
 * its rows and waits for another. So this one never waits for a row: it locks those it can at
 * once (SKIP LOCKED) and writes only them; a change whose row another transaction holds just then
 * is left out of the answer (`locked`), for the caller to commit alone, waiting as commitChange
 * does. The events lock is taken after the rows, as by a change alone, and its holder never waits.
 */
export async function commitGroup(db: PgDb, group: readonly TimedChange[]): Promise<GroupOutcome> {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const input = bind(JSON.stringify(group.map(({ change }) => ({ id: change.id, expected: change.expectedSeq, n: change.events.length }))));
  const updates = [...byShape(group)].map(([fields, changes], i) => {
    const rows = changes.map((change) => rowOf(change, fields));
    const sets = [...fields.map((field) => `${columnOf(field)} = v.${columnOf(field)}`), 'seq = j.seq + c.n'];
    return `u${i} AS (
      UPDATE jobs j SET ${sets.join(', ')}
      FROM jsonb_populate_recordset(NULL::jobs, ${bind(JSON.stringify(rows))}::jsonb) AS v, input c, row_locks r
      WHERE c.id = v.id AND r.id = v.id AND j.id = v.id AND j.seq = c.expected
      RETURNING j.id
    )`;
  });
  const events = group.flatMap(({ change, now }) => change.events.map((event, i): NewEvent => ({ jobId: change.id, seq: change.expectedSeq + 1 + i, at: now, event })));
  // Each event's place in the list: cursors are drawn in that order, so a job's events get them in seq order.
  const eventsParam = bind(JSON.stringify(eventRows(events).map((row, ord) => ({ ...row, ord }))));
  const text = `WITH input AS (
      SELECT c.id, c.expected, c.n FROM jsonb_to_recordset(${input}::jsonb) AS c(id TEXT, expected INTEGER, n INTEGER)
    ), row_locks AS (
      SELECT j.id FROM jobs j WHERE j.id IN (SELECT id FROM input) FOR NO KEY UPDATE SKIP LOCKED
    ), ${updates.join(', ')}, updated AS (
      ${updates.map((_, i) => `SELECT id FROM u${i}`).join(' UNION ALL ')}
    ), locked AS (
      SELECT pg_advisory_xact_lock(${EVENTS_LOCK_CLASS}, hashtext(${bind(db.options.schema)}))
      FROM (SELECT count(*) AS n FROM updated) x WHERE x.n > 0 AND jsonb_array_length(${eventsParam}::jsonb) > 0
    ), appended AS (
      INSERT INTO job_events (job_id, seq, at, kind, data)
      SELECT e.job_id, e.seq, e.at, e.kind, e.data
      FROM jsonb_to_recordset(${eventsParam}::jsonb) AS e(job_id TEXT, seq INTEGER, at BIGINT, kind TEXT, data JSONB, ord INTEGER), locked
      WHERE e.job_id IN (SELECT id FROM updated)
      ORDER BY e.ord
      RETURNING cursor, job_id, seq
    )
    SELECT r.id AS locked, u.id, a.cursor, a.job_id, a.seq FROM row_locks r LEFT JOIN updated u ON u.id = r.id LEFT JOIN appended a ON a.job_id = u.id`;
  const rows = await db.all<GroupRow>(text, params);
  const committed = new Set(rows.flatMap((row) => (row.id === null ? [] : [row.id])));
  const stored = rows.filter((row): row is GroupRow & { cursor: number; job_id: string; seq: number } => row.cursor !== null);
  const eventsOf = new Map<string, JobEvent[]>([...committed].map((id) => [id, []]));
  for (const event of withCursors(events.filter((event) => committed.has(event.jobId)), stored)) eventsOf.get(event.jobId)!.push(event);
  return { locked: new Set(rows.map((row) => row.locked)), committed: eventsOf };
}

/** The stored seq of each job (after a lost race: the seq that won); a deleted job has none. */
export async function currentSeqs(db: PgDb, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.all<{ id: string; seq: number }>('SELECT id, seq FROM jobs WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((row) => [row.id, row.seq]));
}

/** Changes grouped by the fields they set (one UPDATE each: a row type has no "leave as is"). */
function byShape(group: readonly TimedChange[]): Map<readonly JobField[], JobChange[]> {
  const shapes = new Map<string, { fields: JobField[]; changes: JobChange[] }>();
  for (const { change } of group) {
    const fields = patchFields(change);
    const key = fields.join(',');
    let shape = shapes.get(key);
    if (!shape) shapes.set(key, (shape = { fields, changes: [] }));
    shape.changes.push(change);
  }
  return new Map([...shapes.values()].map(({ fields, changes }) => [fields, changes]));
}

/** A row for jsonb_populate_recordset: column names, JSON columns as their value (null is SQL NULL, as commitChange writes it). */
function rowOf(change: JobChange, fields: readonly JobField[]): Record<string, unknown> {
  const row: Record<string, unknown> = { id: change.id };
  for (const field of fields) row[columnOf(field)] = (change.patch as Record<string, unknown>)[field] ?? null;
  return row;
}
