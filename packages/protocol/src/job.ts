/** Wire shape of a job, shared by server, client SDK and dashboard. Times are epoch milliseconds. */

export const JOB_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** What the job's worker is asked to do; the worker acknowledges by transitioning. */
export const CONTROL_INTENTS = ['run', 'pause', 'cancel'] as const;
export type ControlIntent = (typeof CONTROL_INTENTS)[number];

export const JOB_ACTIONS = ['start', 'complete', 'fail', 'pause', 'resume', 'cancel', 'retry'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface JobStep {
  name: string;
  /** Relative share of the job's work; defaults to 1. 0 for a step that was not declared up front but first appeared in a report. */
  weight: number;
  status: StepStatus;
  startedAt: number | null;
  endedAt: number | null;
  /**
   * Set when this step counts its own units (a total was reported while it ran): the job's
   * done/total then measure this step, not the whole job. Absent for job-wide units.
   */
  total?: number;
}

export type EtaMethod = 'linear' | 'ewma' | 'adaptive' | 'prior';

export interface Eta {
  remainingMs: number;
  /** Interval of plausible remaining time, milliseconds. */
  low: number;
  high: number;
  /** 0..1: how much the estimate can be trusted. */
  confidence: number;
  method: EtaMethod;
  /** When the estimate was computed; clients count down from here between reports. */
  at: number;
}

export interface JobError {
  message: string;
  code: string | null;
  attempt: number;
  at: number;
}

/** Roll-up of a parent's children ("batch" counts). */
export interface ChildCounts {
  total: number;
  pending: number;
  running: number;
  paused: number;
  completed: number;
  failed: number;
  cancelled: number;
}

export interface JobMetrics {
  /** Units per second over the recent window, in the job's unit. */
  ratePerSec: number | null;
  errors: number;
  /** Free-form numeric metrics reported by the worker (bytes, tokens, ...). */
  custom: Record<string, number>;
}

export interface Job {
  id: string;
  type: string;
  title: string | null;
  owner: string | null;
  parentId: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
  status: JobStatus;
  control: ControlIntent;
  percent: number;
  done: number;
  total: number | null;
  unit: string | null;
  steps: JobStep[];
  currentStep: string | null;
  message: string | null;
  eta: Eta | null;
  metrics: JobMetrics;
  counts: ChildCounts | null;
  /** Weight of this job inside its parent's roll-up. */
  weight: number;
  checkpoint: unknown;
  result: unknown;
  error: JobError | null;
  attempt: number;
  maxAttempts: number;
  /** Earliest time a queued job may be claimed (retry backoff). */
  runAfter: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
  /** Time spent paused, so ETA and durations count only work time. */
  pausedMs: number;
  /** Sequence number of the job's newest durable event. */
  seq: number;
}
