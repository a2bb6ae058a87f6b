import {
  HeadwayError,
  type StepAnalyticsAnswer,
  type ThroughputAnswer,
  type ThroughputBucket,
  type TypeAnalytics,
  type TypeAnalyticsAnswer,
} from '@headway/protocol';
import { resolveTimeZone } from '../model/zone-clock.js';
import { zonedBucketStarts } from '../model/zoned-buckets.js';
import type { AnalyticsRange, AnalyticsStore } from '../store/analytics-store.js';

/** Guards the answer size (and the dashboard's chart) against a tiny bucket over a long range. */
export const MAX_BUCKETS = 2_000;

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `5m` → 300000. The pattern is enforced by the route schema; this rejects anything else too. */
export function bucketMsOf(bucket: string): number {
  const match = /^([1-9][0-9]{0,4})([smhd])$/.exec(bucket);
  if (!match) throw new HeadwayError('VALIDATION_FAILED', `bucket "${bucket}" is not a size such as 30s, 5m, 1h or 1d`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** `europe/paris` → `Europe/Paris`; the route passes the `tz` parameter, which must be a zone Intl knows. */
export function timeZoneOf(tz: string): string {
  const zone = resolveTimeZone(tz);
  if (zone === null) throw new HeadwayError('VALIDATION_FAILED', `tz ${JSON.stringify(tz)} is not an IANA time zone; use a name such as Europe/Paris, America/Los_Angeles or UTC`);
  return zone;
}

/** Per-type outcomes, percentiles and throughput in the range, plus what is active now. */
export async function typeAnalytics(store: AnalyticsStore, range: AnalyticsRange): Promise<TypeAnalyticsAnswer> {
  const [outcomes, active] = await Promise.all([store.typeOutcomes(range), store.activeCounts(range.owner)]);
  const byType = new Map<string, TypeAnalytics>();
  const entry = (type: string): TypeAnalytics => {
    let found = byType.get(type);
    if (!found) {
      found = { type, finished: 0, completed: 0, failed: 0, cancelled: 0, successRate: null, p50DurationMs: null, p95DurationMs: null, unitsPerSec: null, unit: null, queued: 0, running: 0, paused: 0 };
      byType.set(type, found);
    }
    return found;
  };
  for (const row of outcomes) {
    const target = entry(row.type);
    const judged = row.completed + row.failed;
    Object.assign(target, {
      finished: row.completed + row.failed + row.cancelled,
      completed: row.completed,
      failed: row.failed,
      cancelled: row.cancelled,
      successRate: judged > 0 ? row.completed / judged : null,
      p50DurationMs: row.p50DurationMs,
      p95DurationMs: row.p95DurationMs,
      unitsPerSec: row.workMs > 0 && row.unitsDone > 0 ? row.unitsDone / (row.workMs / 1000) : null,
      unit: row.unit,
    });
  }
  for (const row of active) Object.assign(entry(row.type), { queued: row.queued, running: row.running, paused: row.paused });
  const types = [...byType.values()].sort((a, b) => a.type.localeCompare(b.type));
  return { from: range.from, to: range.to, types };
}

/**
 * Finished jobs per bucket over the whole range, empty buckets included so charts keep time.
 * Buckets follow the clock of `timeZone` (a resolved name; UTC when absent): see zoned-buckets.ts.
 */
export async function throughputAnalytics(
  store: AnalyticsStore,
  range: AnalyticsRange & { type?: string; bucketMs: number; timeZone?: string },
): Promise<ThroughputAnswer> {
  const { bucketMs, timeZone = 'UTC' } = range;
  // Counted on the UTC grid, before any zone arithmetic is spent on a range that is refused
  // anyway; a zone's DST changes add or remove a bucket or two.
  const count = Math.ceil((range.to - Math.floor(range.from / bucketMs) * bucketMs) / bucketMs);
  if (count > MAX_BUCKETS) {
    throw new HeadwayError(
      'VALIDATION_FAILED',
      `the range holds ${count} buckets of ${bucketMs} ms; at most ${MAX_BUCKETS} are allowed: pick a larger bucket or a shorter range`,
    );
  }
  const bucketStarts = zonedBucketStarts(range.from, range.to, bucketMs, timeZone);
  const [rows, unit] = await Promise.all([store.throughput({ ...range, bucketStarts }), range.type === undefined ? null : store.unitOf(range.type)]);
  const found = new Map(rows.map((row) => [row.start, row]));
  const buckets: ThroughputBucket[] = bucketStarts.map((start) => {
    const row = found.get(start);
    return { start, completed: row?.completed ?? 0, failed: row?.failed ?? 0, cancelled: row?.cancelled ?? 0, units: row?.units ?? 0 };
  });
  return { type: range.type ?? null, from: range.from, to: range.to, bucketMs, timeZone, unit, buckets };
}

/** Step durations of a type with each step's share of the time; the largest total is the bottleneck. */
export async function stepAnalytics(store: AnalyticsStore, range: AnalyticsRange & { type: string }): Promise<StepAnalyticsAnswer> {
  const rows = await store.stepDurations(range);
  const allMs = rows.reduce((sum, row) => sum + row.totalMs, 0);
  const steps = rows.map((row) => ({
    name: row.name,
    runs: row.runs,
    totalMs: row.totalMs,
    meanMs: row.runs > 0 ? row.totalMs / row.runs : 0,
    p50Ms: row.p50Ms,
    p95Ms: row.p95Ms,
    share: allMs > 0 ? row.totalMs / allMs : 0,
  }));
  const bottleneck = steps.reduce<(typeof steps)[number] | null>((top, step) => (top === null || step.totalMs > top.totalMs ? step : top), null);
  return { type: range.type, from: range.from, to: range.to, steps, bottleneck: bottleneck && bottleneck.totalMs > 0 ? bottleneck.name : null };
}
