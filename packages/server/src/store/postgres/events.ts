import type { JobEvent, JobEventData } from '@headway/protocol';
import { EVENTS_LOCK_CLASS, LOCK_EVENTS, LOCK_EVENTS_SHARED } from './locks.js';
import type { PgDb, Queryable } from './pg-db.js';

/** One event to append: the job, its seq, and when. */
export interface NewEvent {
  jobId: string;
  seq: number;
  at: number;
  event: JobEventData;
}

interface EventRow {
  cursor: number;
  job_id: string;
  seq: number;
  at: number;
  kind: JobEvent['kind'];
  data: Record<string, unknown>;
}

const EVENT_RECORD = 'e(job_id TEXT, seq INTEGER, at BIGINT, kind TEXT, data JSONB)';

const APPEND = `INSERT INTO job_events (job_id, seq, at, kind, data)
  SELECT e.job_id, e.seq, e.at, e.kind, e.data FROM jsonb_to_recordset($1::jsonb) AS ${EVENT_RECORD}
  RETURNING cursor, job_id, seq`;

/**
 * Two CTEs that append events inside a larger statement: `locked` takes the events lock
 * (locks.ts) once `after` yields its one row, and `appended` inserts the events of parameter
 * `eventsParam` joined to it, so the lock is held before any cursor is drawn.
 */
export function appendEventsCtes(eventsParam: string, schemaParam: string, after: string): string {
  return `locked AS (
      SELECT pg_advisory_xact_lock(${EVENTS_LOCK_CLASS}, hashtext(${schemaParam})) FROM ${after} WHERE jsonb_array_length(${eventsParam}::jsonb) > 0
    ), appended AS (
      INSERT INTO job_events (job_id, seq, at, kind, data)
      SELECT e.job_id, e.seq, e.at, e.kind, e.data FROM jsonb_to_recordset(${eventsParam}::jsonb) AS ${EVENT_RECORD}, locked
      RETURNING cursor, job_id, seq
    )`;
}

/** The events as the JSON parameter appendEventsCtes and appendEvents read. */
export function eventRowsParam(events: readonly NewEvent[]): string {
  return JSON.stringify(eventRows(events));
}

/** The events as rows of job_events (before their cursors). */
export function eventRows(events: readonly NewEvent[]): Array<{ job_id: string; seq: number; at: number; kind: JobEvent['kind']; data: Record<string, unknown> }> {
  return events.map(({ jobId, seq, at, event }) => ({ job_id: jobId, seq, at, kind: event.kind, data: dataOf(event) }));
}

/** The events with the cursors the database gave them, in the order given. */
export function withCursors(events: readonly NewEvent[], stored: ReadonlyArray<{ cursor: number; job_id: string; seq: number }>): JobEvent[] {
  const cursorOf = new Map(stored.map((row) => [`${row.seq}:${row.job_id}`, row.cursor]));
  return events.map(({ jobId, seq, at, event }) => ({ ...dataOf(event), kind: event.kind, jobId, seq, at, cursor: cursorOf.get(`${seq}:${jobId}`)! }) as JobEvent);
}

/**
 * Appends events (of one job or many) in one statement, in the caller's transaction, after the
 * events lock (locks.ts) so cursors become visible in order. Returns them with their cursors, in
 * the order given.
 */
export async function appendEvents(db: PgDb, client: Queryable, events: readonly NewEvent[]): Promise<JobEvent[]> {
  if (events.length === 0) return [];
  await client.query(LOCK_EVENTS, [db.options.schema]);
  const stored = await db.all<{ cursor: number; job_id: string; seq: number }>(APPEND, [eventRowsParam(events)], client);
  return withCursors(events, stored);
}

/** The event's own fields (from, to, reason, ...), without those the log row has as columns. */
function dataOf(event: JobEventData): Record<string, unknown> {
  const { kind: _kind, jobId: _jobId, seq: _seq, at: _at, cursor: _cursor, ...fields } = event as JobEventData & Partial<Pick<JobEvent, 'jobId' | 'seq' | 'at' | 'cursor'>>;
  return fields;
}

const COLUMNS = 'e.cursor, e.job_id, e.seq, e.at, e.kind, e.data';

export async function jobEvents(db: PgDb, jobId: string, afterSeq: number, limit: number): Promise<JobEvent[]> {
  const rows = await db.all<EventRow>(`SELECT ${COLUMNS} FROM job_events e WHERE e.job_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3`, [jobId, afterSeq, limit]);
  return rows.map(toEvent);
}

export async function eventsSince(db: PgDb, afterCursor: number, limit: number, owner?: string): Promise<JobEvent[]> {
  const rows =
    owner === undefined
      ? await db.all<EventRow>(`SELECT ${COLUMNS} FROM job_events e WHERE e.cursor > $1 ORDER BY e.cursor LIMIT $2`, [afterCursor, limit])
      : await db.all<EventRow>(
          `SELECT ${COLUMNS} FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE e.cursor > $1 AND j.owner = $2 ORDER BY e.cursor LIMIT $3`,
          [afterCursor, owner, limit],
        );
  return rows.map(toEvent);
}

/**
 * The high-water mark of cursors handed out (the identity's sequence, which purging never
 * lowers), read after in-flight appends commit: a subscriber starting from it misses nothing.
 */
export async function latestCursor(db: PgDb): Promise<number> {
  return db.transaction(async (client) => {
    await client.query(LOCK_EVENTS_SHARED, [db.options.schema]);
    const row = await db.one<{ last: number | null }>("SELECT pg_sequence_last_value(pg_get_serial_sequence('job_events', 'cursor')::regclass) AS last", [], client);
    return row?.last ?? 0;
  });
}

function toEvent(row: EventRow): JobEvent {
  return { ...row.data, kind: row.kind, jobId: row.job_id, seq: row.seq, at: row.at, cursor: row.cursor } as JobEvent;
}
