import { Type, type Static } from '@sinclair/typebox';

/**
 * Server-side aggregates for history and analytics views, so a dashboard never downloads every
 * job to draw a chart. Durations are work time (finished − started − paused), in milliseconds;
 * ranges are half-open `[from, to)` on the time a job finished.
 */

const epoch = (description: string) => Type.Integer({ minimum: 0, description });
const closed = { additionalProperties: false } as const;
const range = {
  from: Type.Optional(epoch('start of the range (inclusive), epoch ms; defaults to 7 days before `to`')),
  to: Type.Optional(epoch('end of the range (exclusive), epoch ms; defaults to now')),
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only jobs of this owner (a user token always sees only its own)' })),
};
const JobType = Type.String({ minLength: 1, maxLength: 100 });

export const AnalyticsTypesQuery = Type.Object(range, closed);
export type AnalyticsTypesQuery = Static<typeof AnalyticsTypesQuery>;

/** Bucket sizes such as `30s`, `5m`, `1h`, `1d`. */
export const BUCKET_PATTERN = '^[1-9][0-9]{0,4}[smhd]$';

export const AnalyticsThroughputQuery = Type.Object(
  {
    ...range,
    type: Type.Optional(JobType),
    bucket: Type.Optional(Type.String({ pattern: BUCKET_PATTERN, description: 'bucket size, e.g. 5m, 1h, 1d (default 1h)' })),
    tz: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'IANA time zone the buckets follow, e.g. Europe/Paris (default UTC): day buckets start at local midnight (a DST day is 23 or 25 hours), smaller ones whenever the local clock reads a multiple of the size',
      }),
    ),
  },
  closed,
);
export type AnalyticsThroughputQuery = Static<typeof AnalyticsThroughputQuery>;

export const AnalyticsStepsQuery = Type.Object({ ...range, type: JobType }, closed);
export type AnalyticsStepsQuery = Static<typeof AnalyticsStepsQuery>;

export interface TypeAnalytics {
  type: string;
  /** Jobs of the type that finished in the range, by outcome. */
  finished: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** completed / (completed + failed) in the range; null when there were neither. Cancelled jobs are not failures. */
  successRate: number | null;
  /** Nearest-rank percentiles of completed jobs' work time. */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  /** Units done per second of work time over completed jobs, in `unit`. */
  unitsPerSec: number | null;
  unit: string | null;
  /** Jobs of the type active right now, whatever the range. */
  queued: number;
  running: number;
  paused: number;
}

export interface TypeAnalyticsAnswer {
  from: number;
  to: number;
  types: TypeAnalytics[];
}

export interface ThroughputBucket {
  /**
   * Bucket start, epoch ms: where `timeZone`'s clock reads a multiple of `bucketMs` (local
   * midnight for day buckets). A bucket ends where the next one starts, the last at `to`.
   */
  start: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Units done by the jobs that completed in the bucket. */
  units: number;
}

export interface ThroughputAnswer {
  type: string | null;
  from: number;
  to: number;
  /** Nominal bucket size; a day bucket across a DST change is 23 or 25 hours long. */
  bucketMs: number;
  /** IANA zone the buckets follow, as resolved (`europe/paris` → `Europe/Paris`); `UTC` by default. */
  timeZone: string;
  /** Unit of `units` when a type is given; null across types, where units do not add up. */
  unit: string | null;
  /** Every bucket of the range, empty ones included, oldest first. */
  buckets: ThroughputBucket[];
}

export interface StepAnalytics {
  name: string;
  /** Finished runs of the step (both timestamps known). */
  runs: number;
  totalMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  /** Share of all step time of the type, 0..1. */
  share: number;
}

export interface StepAnalyticsAnswer {
  type: string;
  from: number;
  to: number;
  /** In the order the steps are declared. */
  steps: StepAnalytics[];
  /** The step that takes the most total time, or null without step data. */
  bottleneck: string | null;
}
