import type { ControlIntent, Job, JobStatus, StepStatus } from './job.js';

/**
 * Durable events form a job's audit trail; each has a per-job sequence number and is
 * written before it is announced. Progress ticks are not events: they are state.
 */
export type JobEventData =
  | { kind: 'created' }
  | { kind: 'transition'; from: JobStatus | null; to: JobStatus; reason?: string }
  | { kind: 'step'; name: string; status: StepStatus }
  | { kind: 'milestone'; percent: number }
  | { kind: 'control'; intent: ControlIntent; by?: string }
  | { kind: 'error'; message: string; code: string | null; attempt: number }
  | { kind: 'checkpoint' }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type JobEventKind = JobEventData['kind'];

export type JobEvent = JobEventData & {
  jobId: string;
  seq: number;
  at: number;
  /** Store-wide, increasing cursor for channels that span many jobs. */
  cursor?: number;
};

/** A coalesced progress update: the newest state of the fields that ticks change. */
export interface ProgressUpdate {
  jobId: string;
  /** Seq of the newest durable event; a progress update never advances it. */
  seq: number;
  at: number;
  job: Pick<Job, 'percent' | 'done' | 'total' | 'unit' | 'currentStep' | 'message' | 'eta' | 'metrics' | 'counts' | 'updatedAt'>;
}
