import type { JobEvent, JobEventData } from '@headway/protocol';
import type { SqliteDb } from './sqlite-db.js';

interface EventRow {
  cursor: number;
  job_id: string;
  seq: number;
  at: number;
  kind: JobEvent['kind'];
  data: string;
}

const COLUMNS = 'e.cursor, e.job_id, e.seq, e.at, e.kind, e.data';

/**
 * Appends events to one job's log with seq firstSeq, firstSeq+1, ... Call inside the transaction
 * that moved jobs.seq, so the log and the job never disagree.
 */
export function appendEvents(db: SqliteDb, jobId: string, firstSeq: number, at: number, events: readonly JobEventData[]): JobEvent[] {
  return events.map((event, i) => {
    const { kind, ...fields } = event as JobEventData & Partial<Pick<JobEvent, 'jobId' | 'seq' | 'at' | 'cursor'>>;
    delete fields.jobId;
    delete fields.seq;
    delete fields.at;
    delete fields.cursor;
    const seq = firstSeq + i;
    const { lastInsertRowid } = db.run('INSERT INTO job_events (job_id, seq, at, kind, data) VALUES (?, ?, ?, ?, ?)', jobId, seq, at, kind, JSON.stringify(fields));
    return { kind, ...fields, jobId, seq, at, cursor: Number(lastInsertRowid) } as JobEvent;
  });
}

export function jobEvents(db: SqliteDb, jobId: string, afterSeq: number, limit: number): JobEvent[] {
  return db
    .all<EventRow>(`SELECT ${COLUMNS} FROM job_events e WHERE e.job_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`, jobId, afterSeq, limit)
    .map(toEvent);
}

export function eventsSince(db: SqliteDb, afterCursor: number, limit: number, owner?: string): JobEvent[] {
  const rows =
    owner === undefined
      ? db.all<EventRow>(`SELECT ${COLUMNS} FROM job_events e WHERE e.cursor > ? ORDER BY e.cursor LIMIT ?`, afterCursor, limit)
      : db.all<EventRow>(
          `SELECT ${COLUMNS} FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE e.cursor > ? AND j.owner = ? ORDER BY e.cursor LIMIT ?`,
          afterCursor,
          owner,
          limit,
        );
  return rows.map(toEvent);
}

/** The high-water mark of cursors handed out, which purging events never lowers. */
export function latestCursor(db: SqliteDb): number {
  return db.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'job_events'")?.seq ?? 0;
}

function toEvent(row: EventRow): JobEvent {
  return { ...(JSON.parse(row.data) as object), kind: row.kind, jobId: row.job_id, seq: row.seq, at: row.at, cursor: row.cursor } as JobEvent;
}
