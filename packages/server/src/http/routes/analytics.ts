import {
  AnalyticsStepsQuery,
  AnalyticsThroughputQuery,
  AnalyticsTypesQuery,
  HeadwayError,
  StepAnalyticsAnswerSchema,
  ThroughputAnswerSchema,
  TypeAnalyticsAnswerSchema,
} from '@headway/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Headway } from '../../headway.js';
import { bucketMsOf, stepAnalytics, throughputAnalytics, timeZoneOf, typeAnalytics } from '../../service/analytics.js';
import type { AnalyticsRange } from '../../store/analytics-store.js';
import { requireScope } from '../auth/request-actor.js';
import { answer, authenticatedAnswers } from './answers.js';
import { bearer } from './schemas.js';

const DEFAULT_RANGE_MS = 7 * 86_400_000;

/** History aggregates for the dashboard; a user token only ever sees its own jobs. */
export async function analyticsRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const store = headway.store.analytics;

  app.get<{ Querystring: AnalyticsTypesQuery }>(
    '/v1/analytics/types',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Outcomes, success rate and p50/p95 durations per job type',
        querystring: AnalyticsTypesQuery,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('One row per job type seen in the range or active now', TypeAnalyticsAnswerSchema) }, [400]),
      },
    },
    async (request) => typeAnalytics(store, rangeOf(request, request.query, headway.now())),
  );

  app.get<{ Querystring: AnalyticsThroughputQuery }>(
    '/v1/analytics/throughput',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Finished jobs and units per time bucket of a time zone',
        querystring: AnalyticsThroughputQuery,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('Every bucket of the range', ThroughputAnswerSchema) }, [400]),
      },
    },
    async (request) => {
      const { type, bucket = '1h', tz = 'UTC' } = request.query;
      return throughputAnalytics(store, { ...rangeOf(request, request.query, headway.now()), type, bucketMs: bucketMsOf(bucket), timeZone: timeZoneOf(tz) });
    },
  );

  app.get<{ Querystring: AnalyticsStepsQuery }>(
    '/v1/analytics/steps',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Step durations of one job type and its bottleneck step',
        querystring: AnalyticsStepsQuery,
        security: bearer,
        response: authenticatedAnswers({ 200: answer("The type's steps with their durations", StepAnalyticsAnswerSchema) }, [400]),
      },
    },
    async (request) => stepAnalytics(store, { ...rangeOf(request, request.query, headway.now()), type: request.query.type }),
  );
}

/** `to` defaults to `now`, `from` to a week before `to`. */
function rangeOf(request: FastifyRequest, query: { from?: number; to?: number; owner?: string }, now: number): AnalyticsRange {
  const actor = requireScope(request, 'jobs:read');
  const to = query.to ?? now;
  const from = query.from ?? to - DEFAULT_RANGE_MS;
  if (from >= to) throw new HeadwayError('VALIDATION_FAILED', `"from" (${from}) must be before "to" (${to})`);
  const owner = actor.kind === 'user' ? actor.userId : query.owner;
  return owner === undefined ? { from, to } : { from, to, owner };
}
