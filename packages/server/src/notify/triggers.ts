import type { Job, JobEvent } from '@headway/protocol';
import type { JobSummary, Trigger } from './types.js';

export function summaryOf(job: Job): JobSummary {
  return {
    id: job.id,
    type: job.type,
    title: job.title,
    owner: job.owner,
    parentId: job.parentId,
    status: job.status,
    percent: job.percent,
    done: job.done,
    total: job.total,
    unit: job.unit,
    message: job.message,
    tags: job.tags,
    error: job.error,
    counts: job.counts,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

/**
 * The notification a durable job event raises, if any. A batch (a job with children) reports
 * its completion with counts; its children notify only when they fail, so a batch of a thousand
 * files does not send a thousand "finished" messages.
 */
export function triggerOf(event: JobEvent, job: Job): Trigger | null {
  const type = typeOf(event, job);
  if (type === null) return null;
  const isChild = job.parentId !== null;
  if (isChild && type !== 'job.failed') return null;
  return {
    type,
    key: `${event.jobId}:${event.seq}`,
    jobId: job.id,
    jobType: job.type,
    parentId: job.parentId,
    owner: job.owner,
    data: {
      type,
      at: event.at,
      job: summaryOf(job),
      ...(event.kind === 'milestone' ? { percent: event.percent } : {}),
      ...(type === 'batch.completed' ? { counts: job.counts } : {}),
    },
  };
}

function typeOf(event: JobEvent, job: Job): string | null {
  if (event.kind === 'milestone') return 'job.milestone';
  if (event.kind !== 'transition') return null;
  switch (event.to) {
    case 'running':
      return event.from === 'queued' ? 'job.started' : null;
    case 'completed':
      return job.counts !== null ? 'batch.completed' : 'job.completed';
    case 'failed':
      return 'job.failed';
    case 'cancelled':
      return 'job.cancelled';
    default:
      return null;
  }
}
