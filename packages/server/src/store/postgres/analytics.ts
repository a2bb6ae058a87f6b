import type { ActiveCountRow, AnalyticsStore, StepDurationRow, ThroughputRow, TypeOutcomeRow } from '../analytics-store.js';
import type { PgDb } from './pg-db.js';

/*
 * The SQLite store's aggregates in PostgreSQL's dialect. Percentiles are nearest-rank:
 * percentile_disc(p) is the smallest value whose cumulative share reaches p, the same value the
 * SQLite queries find with ROW_NUMBER. `($n::text IS NULL OR owner = $n)` keeps one text per query.
 */

const WORK_MS = 'GREATEST(finished_at - started_at - paused_ms, 0)';

const TYPE_OUTCOMES = `
  WITH finished AS (
    SELECT type, status, unit, done,
           CASE WHEN status = 'completed' AND started_at IS NOT NULL THEN ${WORK_MS} END AS work_ms
      FROM jobs
     WHERE finished_at >= $1 AND finished_at < $2 AND ($3::text IS NULL OR owner = $3)
  )
  SELECT type,
         COUNT(*) FILTER (WHERE status = 'completed') AS completed,
         COUNT(*) FILTER (WHERE status = 'failed') AS failed,
         COUNT(*) FILTER (WHERE status = 'cancelled') AS cancelled,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY work_ms) AS p50,
         percentile_disc(0.95) WITHIN GROUP (ORDER BY work_ms) AS p95,
         COALESCE(SUM(done) FILTER (WHERE work_ms IS NOT NULL), 0) AS units_done,
         COALESCE(SUM(work_ms), 0) AS work_ms,
         MAX(unit) AS unit
    FROM finished
   GROUP BY type
   ORDER BY type`;

const ACTIVE_COUNTS = `
  SELECT type,
         COUNT(*) FILTER (WHERE status = 'queued') AS queued,
         COUNT(*) FILTER (WHERE status = 'running') AS running,
         COUNT(*) FILTER (WHERE status = 'paused') AS paused
    FROM jobs
   WHERE status IN ('queued', 'running', 'paused') AND ($1::text IS NULL OR owner = $1)
   GROUP BY type
   ORDER BY type`;

// width_bucket finds each job's bucket in the sorted starts by binary search, in one range scan.
const THROUGHPUT = `
  SELECT ($1::bigint[])[width_bucket(finished_at, $1::bigint[])] AS start,
         COUNT(*) FILTER (WHERE status = 'completed') AS completed,
         COUNT(*) FILTER (WHERE status = 'failed') AS failed,
         COUNT(*) FILTER (WHERE status = 'cancelled') AS cancelled,
         COALESCE(SUM(done) FILTER (WHERE status = 'completed'), 0) AS units
    FROM jobs
   WHERE finished_at >= $2 AND finished_at < $3 AND ($4::text IS NULL OR type = $4) AND ($5::text IS NULL OR owner = $5)
   GROUP BY 1
   ORDER BY 1`;

const UNIT_OF = `
  SELECT unit, COUNT(*) AS n
    FROM (SELECT unit FROM jobs WHERE type = $1 AND status = 'completed' ORDER BY finished_at DESC LIMIT 200) recent
   WHERE unit IS NOT NULL
   GROUP BY unit
   ORDER BY n DESC, unit
   LIMIT 1`;

const STEP_DURATIONS = `
  WITH runs AS (
    SELECT step.value->>'name' AS name,
           step.position - 1 AS position,
           GREATEST((step.value->>'endedAt')::float8 - (step.value->>'startedAt')::float8, 0) AS duration
      FROM jobs, jsonb_array_elements(jobs.steps) WITH ORDINALITY AS step(value, position)
     WHERE jobs.type = $1 AND jobs.finished_at >= $2 AND jobs.finished_at < $3 AND ($4::text IS NULL OR jobs.owner = $4)
       AND jsonb_typeof(step.value->'startedAt') = 'number'
       AND jsonb_typeof(step.value->'endedAt') = 'number'
  )
  SELECT name, MIN(position) AS position, COUNT(*) AS runs, SUM(duration) AS total,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY duration) AS p50,
         percentile_disc(0.95) WITHIN GROUP (ORDER BY duration) AS p95
    FROM runs
   GROUP BY name
   ORDER BY position, name`;

interface TypeOutcomeSql {
  type: string;
  completed: number;
  failed: number;
  cancelled: number;
  p50: number | null;
  p95: number | null;
  units_done: number;
  work_ms: number;
  unit: string | null;
}

interface StepSql {
  name: string;
  position: number;
  runs: number;
  total: number;
  p50: number;
  p95: number;
}

export function postgresAnalyticsStore(db: PgDb): AnalyticsStore {
  return {
    async typeOutcomes(range): Promise<TypeOutcomeRow[]> {
      const rows = await db.all<TypeOutcomeSql>(TYPE_OUTCOMES, [range.from, range.to, range.owner ?? null]);
      return rows.map((row) => ({
        type: row.type,
        completed: row.completed,
        failed: row.failed,
        cancelled: row.cancelled,
        p50DurationMs: row.p50,
        p95DurationMs: row.p95,
        unitsDone: row.units_done,
        workMs: row.work_ms,
        unit: row.unit,
      }));
    },
    async activeCounts(owner) {
      return db.all<ActiveCountRow>(ACTIVE_COUNTS, [owner ?? null]);
    },
    async throughput(range): Promise<ThroughputRow[]> {
      return db.all<ThroughputRow>(THROUGHPUT, [range.bucketStarts, range.from, range.to, range.type ?? null, range.owner ?? null]);
    },
    async unitOf(type) {
      return (await db.one<{ unit: string }>(UNIT_OF, [type]))?.unit ?? null;
    },
    async stepDurations(range): Promise<StepDurationRow[]> {
      const rows = await db.all<StepSql>(STEP_DURATIONS, [range.type, range.from, range.to, range.owner ?? null]);
      return rows.map((row) => ({ name: row.name, position: row.position, runs: row.runs, totalMs: row.total, p50Ms: row.p50, p95Ms: row.p95 }));
    },
  };
}
