import { HeadwayError } from '@headway/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { resolveTimeZone } from '../../model/zone-clock.js';
import { newWebhookSecret } from '../../notify/channels/webhook-signature.js';
import { defaultPreferences, PreferencesBodySchema, type Preferences, type PreferencesBody } from '../../notify/preferences/schema.js';
import { requireUserAccess } from '../../notify/access.js';
import { answer, authenticatedAnswers } from './answers.js';
import { PreferencesAnswer, WatchAnswer, WatchesAnswer } from './notification-answers.js';
import { bearer } from './schemas.js';

const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
type UserParams = Static<typeof UserParams>;

const WatchTarget = Type.Object(
  {
    jobId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a job (a batch includes its children)' })),
    jobType: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'every job of a type (admin and API keys only)' })),
  },
  { additionalProperties: false },
);
type WatchTarget = Static<typeof WatchTarget>;

/** Per-user preferences (a user token edits its own) and watches of jobs and job types. */
export async function preferenceRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const store = headway.store.notifications;
  const load = async (userId: string) => (await store.getPreferences([userId])).get(userId) ?? defaultPreferences();

  app.get<{ Params: UserParams }>(
    '/v1/users/:id/preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Read a user notification preferences (defaults when never set)',
        params: UserParams,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The preferences', PreferencesAnswer) }, [400]),
      },
    },
    async (request) => {
      requireUserAccess(request.actor, request.params.id, 'preferences');
      return load(request.params.id);
    },
  );

  app.put<{ Params: UserParams; Body: PreferencesBody }>(
    '/v1/users/:id/preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Change preferences: the fields sent replace the stored ones, the others stay',
        description:
          'Channels are resolved in this order: a critical type cannot be switched off › types.<type>.channels › channels › defaults (in-app for everything, email for completed and failed).',
        params: UserParams,
        body: PreferencesBodySchema,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The preferences as stored', PreferencesAnswer) }, [400, 413]),
      },
    },
    async (request) => {
      const userId = request.params.id;
      requireUserAccess(request.actor, userId, 'preferences');
      // Merged on the stored row under its lock: a mute made meanwhile is kept unless mutedJobs is sent.
      return store.updatePreferences(userId, (current) => merge(current, request.body), headway.now());
    },
  );

  app.get<{ Params: UserParams }>(
    '/v1/users/:id/watches',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Jobs and job types a user watches',
        params: UserParams,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The watches', WatchesAnswer) }, [400]),
      },
    },
    async (request) => {
      requireUserAccess(request.actor, request.params.id, 'watches');
      const watches = await store.watchesOf(request.params.id);
      return { items: watches.map((w) => ({ [w.target.kind === 'job' ? 'jobId' : 'jobType']: w.target.value, createdAt: w.createdAt })) };
    },
  );

  app.post<{ Params: UserParams; Body: WatchTarget }>(
    '/v1/users/:id/watches',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Watch a job or a job type: its notifications reach this user too',
        params: UserParams,
        body: WatchTarget,
        security: bearer,
        response: authenticatedAnswers({ 201: answer('Now watched', WatchAnswer), 200: answer('Already watched', WatchAnswer) }, [400, 404, 413]),
      },
    },
    async (request, reply) => {
      const userId = request.params.id;
      requireUserAccess(request.actor, userId, 'watches');
      const target = await targetOf(headway, request.body, request.actor);
      const created = await store.watch({ userId, target, createdAt: headway.now() });
      return reply.status(created ? 201 : 200).send({ [request.body.jobId ? 'jobId' : 'jobType']: target.value, created });
    },
  );

  app.delete<{ Params: UserParams; Querystring: WatchTarget }>(
    '/v1/users/:id/watches',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Stop watching a job (?jobId=) or a job type (?jobType=)',
        params: UserParams,
        querystring: WatchTarget,
        security: bearer,
        response: authenticatedAnswers({ 204: answer('No longer watched', null) }, [400, 404]),
      },
    },
    async (request, reply) => {
      requireUserAccess(request.actor, request.params.id, 'watches');
      const target = request.query.jobId ? { kind: 'job' as const, value: request.query.jobId } : { kind: 'type' as const, value: exactlyOne(request.query) };
      const removed = await store.unwatch(request.params.id, target);
      if (!removed) throw new HeadwayError('NOT_FOUND', `user ${request.params.id} does not watch ${target.kind} ${target.value}`);
      return reply.status(204).send();
    },
  );
}

function exactlyOne(target: WatchTarget): string {
  if ((target.jobId === undefined) === (target.jobType === undefined)) throw new HeadwayError('VALIDATION_FAILED', 'name exactly one of "jobId" or "jobType"');
  return (target.jobId ?? target.jobType)!;
}

/** A user token may watch only jobs it can see (else it would learn of others' jobs); job types are for operators. */
async function targetOf(headway: Headway, body: WatchTarget, actor: Parameters<Headway['jobs']['get']>[1]) {
  const value = exactlyOne(body);
  if (body.jobId !== undefined) {
    await headway.jobs.get(body.jobId, actor);
    return { kind: 'job' as const, value };
  }
  if (actor.kind === 'user') throw new HeadwayError('FORBIDDEN', 'a user token cannot watch a whole job type (it would see other users jobs); ask an operator, or watch single jobs');
  return { kind: 'type' as const, value };
}

/** Fields sent replace the stored ones; a webhook keeps its secret unless a new one is sent, and saving it re-enables it. */
function merge(current: Preferences, body: PreferencesBody): Preferences {
  if (body.timeZone !== undefined && resolveTimeZone(body.timeZone) === null) {
    throw new HeadwayError('VALIDATION_FAILED', `body field "timeZone": ${JSON.stringify(body.timeZone)} is not an IANA time zone; use a name like "Europe/Paris" or "UTC"`);
  }
  const contacts = { ...current.contacts };
  if (body.contacts?.email !== undefined) contacts.email = body.contacts.email;
  if (body.contacts?.phone !== undefined) contacts.phone = body.contacts.phone;
  if (body.contacts?.webhook !== undefined) {
    const webhook = body.contacts.webhook;
    const keptSecret = current.contacts.webhook?.url === webhook?.url ? current.contacts.webhook?.secret : undefined;
    contacts.webhook = webhook === null ? null : { url: webhook.url, secret: webhook.secret ?? keptSecret ?? newWebhookSecret(), disabledAt: null };
  }
  return {
    timeZone: body.timeZone ?? current.timeZone,
    contacts,
    channels: body.channels ?? current.channels,
    types: body.types ?? current.types,
    quietHours: body.quietHours !== undefined ? body.quietHours : current.quietHours,
    mutedJobs: body.mutedJobs ?? current.mutedJobs,
    escalation: body.escalation ?? current.escalation,
  };
}
