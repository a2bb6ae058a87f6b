import { BatchProgressBody, ProgressBody } from '@headway/protocol';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { requireScope } from '../auth/request-actor.js';
import { JobIdParams, bearer } from './schemas.js';

/** Progress reports; each answer carries the job's control intent so any worker can honour pause and cancel. */
export async function progressRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  app.post<{ Params: JobIdParams; Body: ProgressBody }>(
    '/v1/jobs/:id/progress',
    { schema: { tags: ['progress'], summary: 'Report progress; answers {seq, control}', params: JobIdParams, body: ProgressBody, security: bearer } },
    async (request) => headway.jobs.report(request.params.id, request.body, requireScope(request, 'jobs:write')),
  );

  app.post<{ Body: BatchProgressBody }>(
    '/v1/progress',
    { schema: { tags: ['progress'], summary: 'Report progress for many jobs; answers each with {jobId, seq, control} or {jobId, error}', body: BatchProgressBody, security: bearer } },
    // Checked here, once: per item the service would answer the same 403 thousands of times.
    async (request) => headway.jobs.reportMany(request.body, requireScope(request, 'jobs:write')),
  );
}
