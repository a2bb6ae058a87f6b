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

/** A job as clients see it: the record without the runtime lease, milestones, pause start and activity key. */
export function toJobView(r: JobRecord): Job {
  // Spelled out: a rest copy leaving out the internal fields cost 4–14 µs a job here against
  // under 1, and a batch of 10,000 children builds 10,000 views at once. job-record.test.ts
  // checks that every other field of a record is here.
  return {
    id: r.id,
    type: r.type,
    title: r.title,
    owner: r.owner,
    parentId: r.parentId,
    tags: r.tags,
    metadata: r.metadata,
    status: r.status,
    control: r.control,
    percent: r.percent,
    done: r.done,
    total: r.total,
    unit: r.unit,
    steps: r.steps,
    currentStep: r.currentStep,
    message: r.message,
    eta: r.eta,
    metrics: r.metrics,
    counts: r.counts,
    weight: r.weight,
    checkpoint: r.checkpoint,
    result: r.result,
    error: r.error,
    attempt: r.attempt,
    maxAttempts: r.maxAttempts,
    runAfter: r.runAfter,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    updatedAt: r.updatedAt,
    pausedMs: r.pausedMs,
    seq: r.seq,
  };
}
