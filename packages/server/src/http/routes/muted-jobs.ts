import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { requireUserAccess } from '../../notify/access.js';
import { withJobMuted } from '../../notify/preferences/muted-jobs.js';
import { MAX_MUTED_JOBS, MutedJobId } from '../../notify/preferences/schema.js';
import { answer, authenticatedAnswers } from './answers.js';
import { PreferencesAnswer } from './notification-answers.js';
import { bearer } from './schemas.js';

const MutedJobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), jobId: MutedJobId }, { additionalProperties: false });
type MutedJobParams = Static<typeof MutedJobParams>;

/**
 * Mute or unmute one job without sending the whole list: the change is made on the stored
 * preferences in one transaction, so two tabs muting different jobs at once both keep theirs.
 * Both are idempotent and answer the preferences as stored. The job is not looked up: muting
 * reveals nothing, and a purged job must stay unmutable.
 */
export async function mutedJobRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const store = headway.store.notifications;
  const setMuted = (userId: string, jobId: string, muted: boolean) => store.updatePreferences(userId, (current) => withJobMuted(current, userId, jobId, muted), headway.now());

  app.put<{ Params: MutedJobParams }>(
    '/v1/users/:id/muted-jobs/:jobId',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mute one job (a batch: its items too); the other muted jobs stay',
        description: `Idempotent; answers the whole preferences. A user mutes at most ${MAX_MUTED_JOBS} jobs: one more is refused with 409 CONFLICT.`,
        params: MutedJobParams,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The preferences as stored', PreferencesAnswer) }, [400, 409]),
      },
    },
    async (request) => {
      requireUserAccess(request.actor, request.params.id, 'muted jobs');
      return setMuted(request.params.id, request.params.jobId, true);
    },
  );

  app.delete<{ Params: MutedJobParams }>(
    '/v1/users/:id/muted-jobs/:jobId',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Unmute one job; the other muted jobs stay',
        description: 'Idempotent (a job that is not muted is no error); answers the whole preferences.',
        params: MutedJobParams,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The preferences as stored', PreferencesAnswer) }, [400]),
      },
    },
    async (request) => {
      requireUserAccess(request.actor, request.params.id, 'muted jobs');
      return setMuted(request.params.id, request.params.jobId, false);
    },
  );
}
