import { BatchProgressAnswerSchema, BatchProgressBody, ProgressBody } from '@headway/protocol';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { requireScope } from '../auth/request-actor.js';
import { ProgressAnswerRef, answer, authenticatedAnswers } from './answers.js';
import { JobIdParams, bearer } from './schemas.js';

/** Progress reports; each answer carries the job's control intent so any worker can honour pause and cancel. */
export async function progressRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  app.post<{ Params: JobIdParams; Body: ProgressBody }>(
    '/v1/jobs/:id/progress',
    {
      schema: {
        tags: ['progress'],
        summary: 'Report progress; answers {seq, control}',
        params: JobIdParams,
        body: ProgressBody,
        security: bearer,
        // 409: the job is finished (ILLEGAL_TRANSITION), or is being changed concurrently (CONFLICT).
        response: authenticatedAnswers({ 200: answer('Accepted: the control intent the worker should follow', ProgressAnswerRef) }, [400, 404, 409, 413]),
      },
    },
    async (request) => headway.jobs.report(request.params.id, request.body, requireScope(request, 'jobs:write')),
  );

  app.post<{ Body: BatchProgressBody }>(
    '/v1/progress',
    {
      schema: {
        tags: ['progress'],
        summary: 'Report progress for many jobs; answers each with {jobId, seq, control} or {jobId, error}',
        body: BatchProgressBody,
        security: bearer,
        // A job that is missing or finished is refused in its own item, not by the whole request.
        response: authenticatedAnswers({ 200: answer('One answer per report, in the order sent', BatchProgressAnswerSchema) }, [400, 413]),
      },
    },
    // Checked here, once: per item the service would answer the same 403 thousands of times.
    async (request) => headway.jobs.reportMany(request.body, requireScope(request, 'jobs:write')),
  );
}
