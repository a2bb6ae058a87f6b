import { CompleteBody, EmptyBody, FailBody, JOB_ACTIONS, type JobAction } from '@headway/protocol';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import type { ActionInput } from '../../service/job-service.js';
import { requireScope } from '../auth/request-actor.js';
import { JobRef, answer, authenticatedAnswers } from './answers.js';
import { JobIdParams, bearer } from './schemas.js';

const BODIES: Record<JobAction, TSchema> = {
  start: EmptyBody,
  complete: CompleteBody,
  fail: FailBody,
  pause: EmptyBody,
  resume: EmptyBody,
  cancel: EmptyBody,
  retry: EmptyBody,
};

const SUMMARIES: Record<JobAction, string> = {
  start: 'Start a queued job',
  complete: 'Complete a running job, with an optional result',
  fail: 'Fail a job with an error (retried with backoff while attempts remain, unless retry is false)',
  pause: 'Pause a job (its worker sees control "pause")',
  resume: 'Resume a paused job',
  cancel: 'Cancel a job (its worker sees control "cancel")',
  retry: 'Queue a failed or cancelled job again',
};

/** `POST /v1/jobs/:id/<action>`: one route per action so each is documented with its own body. */
export async function actionRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  for (const action of JOB_ACTIONS) {
    app.post<{ Params: JobIdParams; Body: ActionInput }>(
      `/v1/jobs/:id/${action}`,
      {
        schema: {
          tags: ['actions'],
          summary: SUMMARIES[action],
          params: JobIdParams,
          body: BODIES[action],
          security: bearer,
          // 409: the action does not apply to the job's status (ILLEGAL_TRANSITION, with details), or a concurrent change (CONFLICT).
          response: authenticatedAnswers({ 200: answer('The job after the action', JobRef) }, [400, 404, 409, 413]),
        },
      },
      async (request) => headway.jobs.act(request.params.id, action, request.body, requireScope(request, 'jobs:write')),
    );
  }
}
