import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Request bodies, as JSON Schema (served in OpenAPI, enforced by the server) and as types. */

const closed = { additionalProperties: false } as const;
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Tag = Type.String({ minLength: 1, maxLength: 64 });

export const StepSpec = Type.Object(
  { name: Name, weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e6 })) },
  closed,
);

/**
 * Steps a job may have, declared or reported: each step change stores the whole list, so a job
 * that reported thousands of step names cost the server seconds per change (6,000: ~89 s in all).
 * Per-item detail belongs in child jobs (a batch) or the message.
 */
export const MAX_STEPS = 200;

const jobFields = {
  type: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
  title: Type.Optional(Type.String({ maxLength: 500 })),
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  steps: Type.Optional(Type.Array(StepSpec, { maxItems: MAX_STEPS })),
  total: Type.Optional(Type.Number({ minimum: 0 })),
  unit: Type.Optional(Type.String({ maxLength: 32 })),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 32 })),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e6 })),
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
};

export const ChildJobSpec = Type.Object(jobFields, closed);
export type ChildJobSpec = Static<typeof ChildJobSpec>;

export const CreateJobBody = Type.Object(
  {
    ...jobFields,
    parentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    children: Type.Optional(Type.Array(ChildJobSpec, { maxItems: 10_000 })),
  },
  closed,
);
export type CreateJobBody = Static<typeof CreateJobBody>;

const progressFields = {
  done: Type.Optional(Type.Number({ minimum: 0 })),
  total: Type.Optional(Type.Number({ minimum: 0 })),
  percent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  step: Type.Optional(Name),
  message: Type.Optional(Type.String({ maxLength: 2000 })),
  unit: Type.Optional(Type.String({ maxLength: 32 })),
  metrics: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Number())),
  /** Explicitly allow percent to go down (a job that restarts a phase). */
  reset: Type.Optional(Type.Boolean()),
};

export const ProgressBody = Type.Object(progressFields, closed);
export type ProgressBody = Static<typeof ProgressBody>;

export const BatchProgressBody = Type.Array(
  Type.Object({ jobId: Type.String({ minLength: 1, maxLength: 64 }), ...progressFields }, closed),
  { minItems: 1, maxItems: 5_000 },
);
export type BatchProgressBody = Static<typeof BatchProgressBody>;

export const FailBody = Type.Object(
  {
    error: Type.Object(
      { message: Type.String({ minLength: 1, maxLength: 10_000 }), code: Type.Optional(Type.String({ maxLength: 100 })) },
      closed,
    ),
    /** Let the service retry with backoff if attempts remain (default true). */
    retry: Type.Optional(Type.Boolean()),
  },
  closed,
);
export type FailBody = Static<typeof FailBody>;

export const CompleteBody = Type.Object({ result: Type.Optional(Type.Unknown()) }, closed);
export type CompleteBody = Static<typeof CompleteBody>;

export const EmptyBody = Type.Object({}, closed);

export const ListJobsQuery = Type.Object(
  {
    status: Type.Optional(Type.String()),
    type: Type.Optional(Type.String({ maxLength: 100 })),
    owner: Type.Optional(Type.String({ maxLength: 200 })),
    tag: Type.Optional(Type.String({ maxLength: 64 })),
    parentId: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Type.Integer({ minimum: 0, description: 'created at or after (ms since epoch)' })),
    to: Type.Optional(Type.Integer({ minimum: 0, description: 'created at or before (ms since epoch; inclusive, unlike the analytics routes)' })),
    sort: Type.Optional(
      Type.Union([
        Type.Literal('createdAt'),
        Type.Literal('-createdAt'),
        Type.Literal('updatedAt'),
        Type.Literal('-updatedAt'),
      ], {
        description:
          'Order of the list ("-" for newest first; default -createdAt). updatedAt orders by last activity: every state change at once, and progress to within 5 seconds, so jobs that report progress many times a second do not rewrite the index behind this order at every report.',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  closed,
);
export type ListJobsQuery = Static<typeof ListJobsQuery>;

export interface ProgressAnswer {
  seq: number;
  control: 'run' | 'pause' | 'cancel';
}

export type AnySchema = TSchema;
