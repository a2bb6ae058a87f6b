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
}

export function toJobView(record: JobRecord): Job {
  const { leaseOwner: _o, leaseExpiresAt: _e, milestones: _m, pausedAt: _p, ...job } = record;
  return job;
}
