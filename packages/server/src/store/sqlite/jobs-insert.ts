import { HeadwayError, type JobEvent } from '@headway/protocol';
import type { JobRecord } from '../../model/job-record.js';
import { columnOf, JOB_FIELDS } from '../job-columns.js';
import { IdempotencyKeyTaken, type IdempotencyKeyRow } from '../store.js';
import { appendEvents } from './events.js';
import { encodeJobValue } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';
import { insertTags } from './tags.js';

const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

const INSERT_JOB = `INSERT INTO jobs (${JOB_FIELDS.map(columnOf).join(', ')}) VALUES (${JOB_FIELDS.map(() => '?').join(', ')})`;

/** Inserts job trees (parents first) with one `created` event each and the keys they were created under; all or nothing. */
export function insertJobs(db: SqliteDb, jobs: readonly JobRecord[], now: number, keys: readonly IdempotencyKeyRow[] = []): JobEvent[] {
  return db.write(() => {
    const events: JobEvent[] = [];
    for (const job of jobs) {
      const seq = job.seq + 1;
      insertRow(db, { ...job, seq });
      // Listed for the text index like a job that finishes (see migration 0016: no trigger for this).
      if (FINISHED.has(job.status)) db.run('INSERT INTO finished_texts (job_id) VALUES (?)', job.id);
      insertTags(db, job.id, job.tags);
      events.push(...appendEvents(db, job.id, seq, now, [{ kind: 'created' }]));
    }
    for (const key of keys) insertKey(db, key);
    return events;
  });
}

export function findIdempotencyKeys(db: SqliteDb, scopedKeys: readonly string[]): IdempotencyKeyRow[] {
  const rows = db.all<{ scoped_key: string; job_id: string; request_hash: string }>(
    'SELECT scoped_key, job_id, request_hash FROM job_idempotency_keys WHERE scoped_key IN (SELECT value FROM json_each(?))',
    JSON.stringify(scopedKeys),
  );
  return rows.map((row) => ({ scopedKey: row.scoped_key, jobId: row.job_id, requestHash: row.request_hash }));
}

function insertKey(db: SqliteDb, key: IdempotencyKeyRow): void {
  try {
    db.run('INSERT INTO job_idempotency_keys (scoped_key, job_id, request_hash) VALUES (?, ?, ?)', key.scopedKey, key.jobId, key.requestHash);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new IdempotencyKeyTaken(key.scopedKey);
    throw error;
  }
}

function insertRow(db: SqliteDb, job: JobRecord): void {
  try {
    db.run(INSERT_JOB, ...JOB_FIELDS.map((field) => encodeJobValue(field, job[field])));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new HeadwayError('CONFLICT', `job ${job.id} already exists; give the new job another id`);
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new HeadwayError('JOB_NOT_FOUND', `parent job ${job.parentId} of job ${job.id} does not exist; create the parent first`);
    }
    throw error;
  }
}
