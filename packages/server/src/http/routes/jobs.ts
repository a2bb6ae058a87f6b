import { CreateJobBody, HeadwayError, ListJobsQuery } from '@headway/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { requireScope } from '../auth/request-actor.js';
import { JobRef, answer, authenticatedAnswers, pageOf } from './answers.js';
import { JobIdParams, bearer } from './schemas.js';

/** A long-poll never holds a request longer than this (proxies commonly cut at 30–60 s). */
export const MAX_WAIT_MS = 30_000;
const DEFAULT_WAIT_MS = 25_000;

const GetJobQuery = Type.Object(
  {
    waitForChangeAfter: Type.Optional(Type.Integer({ minimum: 0, description: 'answer once the job changes after this seq (long-poll)' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_WAIT_MS, description: `long-poll timeout, default ${DEFAULT_WAIT_MS}` })),
  },
  { additionalProperties: false },
);
type GetJobQuery = Static<typeof GetJobQuery>;

const JobListPage = Type.Object({
  ...pageOf(JobRef).properties,
  eventCursor: Type.Integer({
    minimum: 0,
    description:
      'The event cursor when this page was read, read before the jobs: every event up to it is reflected in the jobs listed. A client that polled this list and moves to a stream of many jobs (jobs, user:<id>) subscribes with after (WebSocket) or Last-Event-ID (SSE) set to it, and gets exactly the events that followed.',
  }),
});

const CreateJobHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Makes the request safe to send again after a lost answer: the same key (1–255 visible ASCII characters, a UUID for one) with the same body answers the job it created, as it is now, with status 200 and Idempotent-Replayed: true, for as long as that job is kept; with another body it is refused (409 CONFLICT). Keys are per caller (API key or user).',
    }),
  ),
});
type CreateJobHeaders = Static<typeof CreateJobHeaders>;

/** Create, read (with long-poll) and list jobs. */
export async function jobRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  // A node that is stopping answers its parked long-polls at once, with the job as it is: the
  // client asks again and reaches the restarted node or another one. Otherwise each held the
  // stop, and a paused worker's checkpoint() missed changes made elsewhere, for up to 30 s.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  app.post<{ Body: CreateJobBody; Headers: CreateJobHeaders }>(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Create a job (with optional children); with an Idempotency-Key, at most once',
        body: CreateJobBody,
        headers: CreateJobHeaders,
        security: bearer,
        response: authenticatedAnswers(
          {
            201: answer('The job as created (queued); its children are listed with ?parentId=', JobRef),
            200: answer('The job an earlier request with the same Idempotency-Key and body created, as it is now (header Idempotent-Replayed: true)', JobRef),
          },
          [400, 404, 409, 413],
        ),
      },
    },
    async (request, reply) => {
      const actor = requireScope(request, 'jobs:write');
      const key = request.headers['idempotency-key'];
      if (key === undefined) return reply.status(201).send(await headway.jobs.create(request.body, actor));
      const { job, replayed } = await headway.jobs.createOnce(request.body, actor, key);
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(replayed ? 200 : 201).send(job);
    },
  );

  app.get<{ Params: JobIdParams; Querystring: GetJobQuery }>(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Read a job; with waitForChangeAfter, wait for its next change',
        params: JobIdParams,
        querystring: GetJobQuery,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The job (after a long-poll: once it changed, or as it is at the timeout)', JobRef) }, [400, 404]),
      },
    },
    async (request, reply) => {
      const actor = requireScope(request, 'jobs:read');
      const { waitForChangeAfter, timeoutMs } = request.query;
      if (waitForChangeAfter === undefined) {
        if (timeoutMs !== undefined) throw new HeadwayError('VALIDATION_FAILED', 'timeoutMs applies to a long-poll only; add waitForChangeAfter=<the seq you have>, or drop timeoutMs');
        return headway.jobs.get(request.params.id, actor);
      }
      // A client that hangs up stops the wait at once, not at the timeout (the response's
      // 'close' also fires when it is sent; by then the wait is over and aborting is a no-op).
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const signal = AbortSignal.any([gone.signal, closing.signal]);
      return headway.jobs.waitForChange(request.params.id, waitForChangeAfter, timeoutMs ?? DEFAULT_WAIT_MS, actor, signal);
    },
  );

  app.get<{ Querystring: ListJobsQuery }>(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'List jobs (status may be a comma list); page with nextCursor; eventCursor is where a stream takes over',
        querystring: ListJobsQuery,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('One page of jobs', JobListPage) }, [400]),
      },
    },
    async (request) => {
      const actor = requireScope(request, 'jobs:read');
      // Read before the jobs, as a stream snapshot does: every event up to it is in what follows.
      const eventCursor = await headway.store.jobs.latestCursor();
      return { ...(await headway.jobs.list(request.query, actor)), eventCursor };
    },
  );
}
