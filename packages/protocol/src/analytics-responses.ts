import { Type, type TSchema } from '@sinclair/typebox';

/** Answers of the analytics routes as JSON Schema, mirroring the interfaces of analytics.ts (see responses.ts). */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
const range = {
  from: Type.Integer({ description: 'start of the range (inclusive), epoch ms' }),
  to: Type.Integer({ description: 'end of the range (exclusive), epoch ms' }),
};

export const TypeAnalyticsAnswerSchema = Type.Object({
  ...range,
  types: Type.Array(
    Type.Object({
      type: Type.String(),
      finished: Count,
      completed: Count,
      failed: Count,
      cancelled: Count,
      successRate: nullable(Type.Number({ minimum: 0, maximum: 1, description: 'completed / (completed + failed)' })),
      p50DurationMs: nullable(Type.Number()),
      p95DurationMs: nullable(Type.Number()),
      unitsPerSec: nullable(Type.Number()),
      unit: nullable(Type.String()),
      queued: Count,
      running: Count,
      paused: Count,
    }),
  ),
});

export const ThroughputAnswerSchema = Type.Object({
  type: nullable(Type.String()),
  ...range,
  bucketMs: Type.Integer({ description: 'nominal bucket size; a day bucket across a DST change is 23 or 25 hours long' }),
  timeZone: Type.String({ description: 'IANA zone the buckets follow, as resolved' }),
  unit: nullable(Type.String({ description: 'unit of `units` when a type is given' })),
  buckets: Type.Array(
    Type.Object({
      start: Type.Integer({ description: 'bucket start, epoch ms' }),
      completed: Count,
      failed: Count,
      cancelled: Count,
      units: Type.Number(),
    }),
    { description: 'every bucket of the range, empty ones included, oldest first' },
  ),
});

export const StepAnalyticsAnswerSchema = Type.Object({
  type: Type.String(),
  ...range,
  steps: Type.Array(
    Type.Object({
      name: Type.String(),
      runs: Count,
      totalMs: Type.Number(),
      meanMs: Type.Number(),
      p50Ms: Type.Number(),
      p95Ms: Type.Number(),
      share: Type.Number({ minimum: 0, maximum: 1, description: 'share of all step time of the type' }),
    }),
    { description: 'in the order the steps are declared' },
  ),
  bottleneck: nullable(Type.String({ description: 'the step that takes the most total time' })),
});
