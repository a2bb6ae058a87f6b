import { HeadwayError, type JobEvent } from '@headway/protocol';
import type { JobRecord } from '../../model/job-record.js';
import { columnOf, JOB_FIELDS } from '../job-columns.js';
import { appendEvents } from './events.js';
import { encodeJobValue } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';
import { replaceTags } from './tags.js';

const INSERT_JOB = `INSERT INTO jobs (${JOB_FIELDS.map(columnOf).join(', ')}) VALUES (${JOB_FIELDS.map(() => '?').join(', ')})`;

/** Inserts a job tree (parents first) with one `created` event each; all or nothing. */
export function insertJobs(db: SqliteDb, jobs: readonly JobRecord[], now: number): JobEvent[] {
  return db.write(() => {
    const events: JobEvent[] = [];
    for (const job of jobs) {
      const seq = job.seq + 1;
      insertRow(db, { ...job, seq });
      replaceTags(db, job.id, job.tags);
      events.push(...appendEvents(db, job.id, seq, now, [{ kind: 'created' }]));
    }
    return events;
  });
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
