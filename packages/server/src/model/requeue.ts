import type { JobEventData, JobStatus } from '@headway/protocol';
import type { JobRecord } from './job-record.js';

/** Why a running job lost its worker: its node started again, or its lease ran out. */
export type RequeueCause = 'node restarted' | 'lease expired';

/**
 * A running job that lost its worker goes where its owner last asked. With control 'run' it goes
 * back to the queue and resumes from its checkpoint. With a pause or cancel pending that the
 * worker never acknowledged, it ends as an acknowledged pause or cancel would: paused (a resume
 * queues it again with its checkpoint) or cancelled. Running it again would undo the user's
 * request. The stores apply this set-based in SQL (store/{sqlite,postgres}/jobs-requeue.ts); this
 * is the transition each records.
 */
export function requeueTransition(to: JobStatus, cause: RequeueCause): JobEventData {
  const reason = to === 'queued' ? cause : `${cause} before the worker acknowledged the ${to === 'paused' ? 'pause' : 'cancel'}`;
  return { kind: 'transition', from: 'running', to, reason };
}

/**
 * The running job a requeue changed, as `previous` for announcing it: the fields the requeue
 * set are taken back (a running job is never finished or paused). The lease and ETA it held are
 * not known here; nothing that follows a commit reads them.
 */
export function runningBeforeRequeue(job: JobRecord): JobRecord {
  return { ...job, status: 'running', finishedAt: null, pausedAt: null };
}
