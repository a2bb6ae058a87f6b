/**
 * Aggregates over finished jobs for the history and analytics views. Every query reads the
 * half-open range `[from, to)` of `finished_at`; `owner` narrows to one user's jobs.
 */
export interface AnalyticsRange {
  from: number;
  to: number;
  owner?: string;
}

export interface TypeOutcomeRow {
  type: string;
  completed: number;
  failed: number;
  cancelled: number;
  /** Nearest-rank percentiles of completed jobs' work time (ms). */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  /** Σ done and Σ work ms over completed jobs, for a units-per-second figure. */
  unitsDone: number;
  workMs: number;
  unit: string | null;
}

export interface ActiveCountRow {
  type: string;
  queued: number;
  running: number;
  paused: number;
}

export interface ThroughputRow {
  /** Start of the bucket, one of the `bucketStarts` asked for. */
  start: number;
  completed: number;
  failed: number;
  cancelled: number;
  units: number;
}

export interface StepDurationRow {
  name: string;
  /** Lowest index the step had in a job's step list, to keep declared order. */
  position: number;
  runs: number;
  totalMs: number;
  p50Ms: number;
  p95Ms: number;
}

export interface AnalyticsStore {
  /** Outcomes and durations per job type of jobs finished in the range. */
  typeOutcomes(range: AnalyticsRange): Promise<TypeOutcomeRow[]>;
  /** Jobs active now (queued, running, paused) per type; not bound to a range. */
  activeCounts(owner?: string): Promise<ActiveCountRow[]>;
  /**
   * Finished jobs per time bucket (only non-empty buckets), oldest first. Bucket i holds
   * `[bucketStarts[i], bucketStarts[i + 1])`, the last up to `to`; the starts ascend, the first
   * at or before `from`. The caller computes them (they follow a time zone's clock), so every
   * store buckets alike.
   */
  throughput(range: AnalyticsRange & { type?: string; bucketStarts: readonly number[] }): Promise<ThroughputRow[]>;
  /** The unit most jobs of a type report in, or null. */
  unitOf(type: string): Promise<string | null>;
  /** Durations of finished step runs (from step timestamps) of one type's jobs finished in the range. */
  stepDurations(range: AnalyticsRange & { type: string }): Promise<StepDurationRow[]>;
}
