import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { requireScope } from '../auth/request-actor.js';
import { JobEventRef, answer, authenticatedAnswers } from './answers.js';
import { JobIdParams, bearer } from './schemas.js';

const DEFAULT_LIMIT = 100;

const EventsQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'only events with a greater seq' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, description: `at most this many, default ${DEFAULT_LIMIT}` })),
  },
  { additionalProperties: false },
);
type EventsQuery = Static<typeof EventsQuery>;

/** A job's audit trail: durable events, oldest first. Page by passing the last seq as `after`. */
export async function eventRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  app.get<{ Params: JobIdParams; Querystring: EventsQuery }>(
    '/v1/jobs/:id/events',
    {
      schema: {
        tags: ['jobs'],
        summary: "A job's durable events after a seq; answers {items}",
        params: JobIdParams,
        querystring: EventsQuery,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('Events oldest first; fewer than limit means none are left', Type.Object({ items: Type.Array(JobEventRef) })) }, [400, 404]),
      },
    },
    async (request) => {
      const { after = 0, limit = DEFAULT_LIMIT } = request.query;
      const items = await headway.jobs.events(request.params.id, after, limit, requireScope(request, 'jobs:read'));
      return { items };
    },
  );
}
