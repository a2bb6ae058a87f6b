import { Type, type TSchema } from '@sinclair/typebox';
import { ERROR_CATALOGUE, type ErrorCode } from './errors.js';
import { CONTROL_INTENTS, JOB_STATUSES, type JobStatus, type StepStatus } from './job.js';

/**
 * Answers of the REST API as JSON Schema, for the OpenAPI document (the server documents with
 * them; it never serializes through them). They mirror the interfaces of job.ts, events.ts and
 * errors.ts, which stay the types to program against; the server's tests check both agree.
 * Schemas with an `$id` are shared: routes refer to them with `Type.Ref`.
 */

/** One of a few strings, written as an enum (a union of literals reads as a list of one-value schemas). */
const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const epochMs = (description: string) => Type.Integer({ description: `${description}, epoch ms` });
const Seq = Type.Integer({ minimum: 0, description: "sequence number of the job's newest durable event" });

const STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped'] as const satisfies readonly StepStatus[];

export const JobStepSchema = Type.Object({
  name: Type.String(),
  weight: Type.Number({ minimum: 0, description: "share of the job's work; 0 for a step first seen in a report" }),
  status: literals(STEP_STATUSES),
  startedAt: nullable(epochMs('when the step started')),
  endedAt: nullable(epochMs('when the step ended')),
  total: Type.Optional(Type.Number({ minimum: 0, description: "set when the step counts its own units: the job's done/total then measure this step" })),
});

export const EtaSchema = Type.Object({
  remainingMs: Type.Number({ description: 'estimated work time left' }),
  low: Type.Number({ description: 'plausible interval of the remaining time, ms' }),
  high: Type.Number(),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  method: literals(['linear', 'ewma', 'adaptive', 'prior']),
  at: epochMs('when the estimate was made; count down from here'),
});

export const ChildCountsSchema = Type.Object(
  {
    total: Type.Integer(),
    pending: Type.Integer(),
    running: Type.Integer(),
    paused: Type.Integer(),
    completed: Type.Integer(),
    failed: Type.Integer(),
    cancelled: Type.Integer(),
  },
  { description: "roll-up of a batch's children" },
);

export const JobSchema = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    title: nullable(Type.String()),
    owner: nullable(Type.String()),
    parentId: nullable(Type.String()),
    tags: Type.Array(Type.String()),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    status: literals(JOB_STATUSES),
    control: literals(CONTROL_INTENTS),
    percent: Type.Number({ minimum: 0, maximum: 100 }),
    done: Type.Number(),
    total: nullable(Type.Number()),
    unit: nullable(Type.String()),
    steps: Type.Array(JobStepSchema),
    currentStep: nullable(Type.String()),
    message: nullable(Type.String()),
    eta: nullable(EtaSchema),
    metrics: Type.Object({
      ratePerSec: nullable(Type.Number({ description: 'units per second over the recent window' })),
      errors: Type.Number(),
      custom: Type.Record(Type.String(), Type.Number()),
    }),
    counts: nullable(ChildCountsSchema),
    weight: Type.Number({ description: "weight inside its parent's roll-up" }),
    checkpoint: Type.Unknown(),
    result: Type.Unknown(),
    error: nullable(Type.Object({ message: Type.String(), code: nullable(Type.String()), attempt: Type.Integer(), at: epochMs('when it failed') })),
    attempt: Type.Integer(),
    maxAttempts: Type.Integer(),
    runAfter: nullable(epochMs('earliest time a queued job may be claimed (retry backoff)')),
    createdAt: epochMs('created'),
    startedAt: nullable(epochMs('started')),
    finishedAt: nullable(epochMs('finished')),
    updatedAt: epochMs('last change'),
    pausedMs: Type.Number({ description: 'time spent paused' }),
    seq: Seq,
  },
  { $id: 'Job', description: 'A job as every route answers it' },
);

/** One durable event kind: the fields every event has, then its own. */
const event = <K extends string, P extends Record<string, TSchema>>(kind: K, fields: P) =>
  Type.Object({
    kind: Type.Literal(kind),
    ...fields,
    jobId: Type.String(),
    seq: Seq,
    at: epochMs('when it happened'),
    cursor: Type.Optional(Type.Integer({ description: 'store-wide increasing cursor' })),
  });

export const JobEventSchema = Type.Union(
  [
    event('created', {}),
    // null in the enum too: OpenAPI 3.0 (and Ajv) accept null for a nullable enum only when the enum lists it.
    event('transition', { from: Type.Unsafe<JobStatus | null>({ type: ['string', 'null'], enum: [...JOB_STATUSES, null] }), to: literals(JOB_STATUSES), reason: Type.Optional(Type.String()) }),
    event('step', { name: Type.String(), status: literals(STEP_STATUSES) }),
    event('milestone', { percent: Type.Number() }),
    event('control', { intent: literals(CONTROL_INTENTS), by: Type.Optional(Type.String()) }),
    event('error', { message: Type.String(), code: nullable(Type.String()), attempt: Type.Integer() }),
    event('checkpoint', {}),
    event('log', { level: literals(['info', 'warn', 'error']), message: Type.String() }),
  ],
  { $id: 'JobEvent', description: "A durable event of a job's audit trail" },
);

export const ProgressAnswerSchema = Type.Object(
  { seq: Seq, control: literals(CONTROL_INTENTS) },
  { $id: 'ProgressAnswer', description: 'What the worker is asked to do next: run, pause or cancel' },
);

/** Any catalogue error; `codes` narrows `code` to what one status can carry. */
export function errorBodySchema(codes: readonly ErrorCode[] = Object.keys(ERROR_CATALOGUE) as ErrorCode[], options: { $id?: string; description?: string } = {}) {
  return Type.Object(
    {
      error: Type.Object({
        code: literals(codes),
        message: Type.String({ description: 'what happened and what to do' }),
        details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    },
    options,
  );
}

export const ErrorBodySchema = errorBodySchema();

export const BatchProgressAnswerSchema = Type.Array(
  Type.Union([
    Type.Object({ jobId: Type.String(), seq: Seq, control: literals(CONTROL_INTENTS) }),
    Type.Object({ jobId: Type.String(), error: ErrorBodySchema.properties.error }),
  ]),
  { description: 'One answer per report, in the order sent: the control intent, or why that report was refused' },
);

export const InAppNotificationSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  type: Type.String({ description: 'e.g. job.completed, job.failed, job.milestone, batch.completed, alert.<kind>' }),
  channel: literals(['in_app', 'email', 'sms', 'webhook', 'log']),
  jobId: nullable(Type.String()),
  status: literals(['queued', 'sending', 'sent', 'failed', 'deferred', 'dead', 'skipped']),
  urgent: Type.Boolean(),
  attempts: Type.Integer(),
  dueAt: epochMs('due'),
  createdAt: epochMs('created'),
  updatedAt: epochMs('last change'),
  sentAt: nullable(epochMs('sent')),
  readAt: nullable(epochMs('read')),
  seenAt: nullable(epochMs('seen')),
  lastError: nullable(Type.String()),
  escalatedFrom: nullable(Type.String()),
  title: nullable(Type.String()),
  text: nullable(Type.String()),
  data: Type.Unknown(),
});
