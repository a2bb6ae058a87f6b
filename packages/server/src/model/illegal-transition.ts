import { HeadwayError } from '@headway/protocol';
import type { JobRecord } from './job-record.js';

/** What each action allows, said the way the error message needs it. */
const ALLOWED: Record<string, string> = {
  start: 'only queued jobs can be started',
  complete: 'only running jobs can be completed',
  fail: 'only running jobs can be failed',
  pause: 'only queued jobs and running jobs can be paused',
  resume: 'only paused jobs, or running jobs with a pause pending, can be resumed',
  cancel: 'only queued, running or paused jobs can be cancelled',
  retry: 'only failed or cancelled jobs can be retried',
};

/**
 * The ILLEGAL_TRANSITION error: names the job, its status (and pending intent when that is
 * the reason), the attempted action, and what is allowed, e.g.
 * "job 0193… is completed; only failed or cancelled jobs can be retried".
 */
export function illegalTransition(job: Pick<JobRecord, 'id' | 'status' | 'control'>, action: string): HeadwayError {
  return new HeadwayError('ILLEGAL_TRANSITION', `job ${job.id} is ${explain(job, action)}`, {
    jobId: job.id,
    status: job.status,
    control: job.control,
    action,
  });
}

function explain(job: Pick<JobRecord, 'status' | 'control'>, action: string): string {
  const allowed = ALLOWED[action] ?? `"${action}" is not a job action`;
  if (action === 'pause' && job.status === 'paused') return `paused already; ${allowed}`;
  if (job.status === 'running' && job.control === 'cancel' && (action === 'pause' || action === 'resume')) {
    return `running with a cancel pending, so it can no longer be ${action}d; the worker is asked to stop`;
  }
  if (action === 'resume' && (job.status === 'running' || job.status === 'queued')) return `${job.status}, not paused; ${allowed}`;
  return `${job.status}; ${allowed}`;
}
