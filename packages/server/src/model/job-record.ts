import type { Job } from '@headway/protocol';

/** A job as the store keeps it: the wire shape plus the runtime lease. */
export interface JobRecord extends Job {
  /** Node whose runtime holds the job; null for reported jobs and jobs not running. */
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  /** When the current pause began (null unless paused); resume adds the span to pausedMs. */
  pausedAt: number | null;
  /** Percent milestones already announced, so none fires twice. */
  milestones: number[];
  /**
   * When the job last showed activity, to within ACTIVITY_RESOLUTION_MS: the key `sort=updatedAt`
   * lists by. Every durable change sets it to updatedAt; progress moves it only once the stored
   * value is that old, so progress flushes leave its index alone (see migration 0005).
   */
  activeAt: number;
}

/** How stale activeAt may be behind updatedAt while a job only reports progress. */
export const ACTIVITY_RESOLUTION_MS = 5_000;

export function toJobView(record: JobRecord): Job {
  const { leaseOwner: _o, leaseExpiresAt: _e, milestones: _m, pausedAt: _p, activeAt: _a, ...job } = record;
  return job;
}
