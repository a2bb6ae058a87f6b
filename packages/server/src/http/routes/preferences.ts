import { HeadwayError } from '@headway/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { resolveTimeZone } from '../../model/zone-clock.js';
import { newWebhookSecret } from '../../notify/channels/webhook-signature.js';
import { defaultPreferences, PreferencesBodySchema, type Preferences, type PreferencesBody } from '../../notify/preferences/schema.js';
import { requireUserAccess } from '../../notify/access.js';
import { applyMergePatch, PreferencesPatchSchema, type PreferencesPatch } from '../../notify/preferences/patch.js';
import { typeboxValidatorCompiler } from '../validation.js';
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
        summary: 'Replace the preferences: the document sent is the new one, a field left out takes its default',
        description: `${WEBHOOK_RULES} To change some fields and keep the others (and mutes made meanwhile), use PATCH. ${CHANNEL_ORDER}`,
        params: UserParams,
        body: PreferencesBodySchema,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The preferences as stored', PreferencesAnswer) }, [400, 413]),
      },
    },
    async (request) => {
      const userId = request.params.id;
      requireUserAccess(request.actor, userId, 'preferences');
      return store.updatePreferences(userId, (current) => replaced(current, request.body, true), headway.now());
    },
  );

  app.patch<{ Params: UserParams; Body: PreferencesPatch }>(
    '/v1/users/:id/preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Change some preferences: a JSON Merge Patch (RFC 7396) of the document',
        description: `Objects merge member by member at every depth (contacts, channels, types and each type), null removes a member (it takes its default), arrays (mutedJobs, escalation) and values replace. Content type application/merge-patch+json or application/json. ${WEBHOOK_RULES} ${CHANNEL_ORDER}`,
        params: UserParams,
        body: PreferencesPatchSchema,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The preferences as stored', PreferencesAnswer) }, [400, 413]),
      },
    },
    async (request) => {
      const userId = request.params.id;
      requireUserAccess(request.actor, userId, 'preferences');
      const webhookSent = request.body.contacts?.webhook != null;
      // Applied to the stored row under its lock: a mute made meanwhile is kept unless mutedJobs is sent.
      return store.updatePreferences(userId, (current) => replaced(current, checkedDocument(applyMergePatch(current, withSecretRule(current, request.body))), webhookSent), headway.now());
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

const CHANNEL_ORDER =
  'Channels are resolved in this order: a critical type cannot be switched off › types.<type>.channels › channels › defaults (in-app for everything, email for completed and failed).';
const WEBHOOK_RULES = 'A webhook without a secret keeps the stored one when its URL is the stored URL, else gets a new one; sending the webhook re-enables it after a 410 Gone.';

/** A patched document is checked as a whole, as PUT checks its body (a patch can leave quietHours without its end). */
const documentCheck = typeboxValidatorCompiler({ schema: PreferencesBodySchema, httpPart: 'body', method: 'PATCH', url: '/v1/users/:id/preferences' });

function checkedDocument(document: unknown): PreferencesBody {
  const result = documentCheck(document) as { value?: unknown; error?: Error };
  if (result.error) throw result.error;
  return result.value as PreferencesBody;
}

/** A patch moving the webhook to another URL without a secret gets a new secret, as PUT would give it. */
function withSecretRule(current: Preferences, patch: PreferencesPatch): PreferencesPatch {
  const webhook = patch.contacts?.webhook;
  if (!webhook?.url || webhook.secret !== undefined || webhook.url === current.contacts.webhook?.url) return patch;
  return { ...patch, contacts: { ...patch.contacts, webhook: { ...webhook, secret: null } } };
}

/** The stored document becomes `body`, every field left out at its default; a webhook keeps its secret for the same URL. */
function replaced(current: Preferences, body: PreferencesBody, webhookSent: boolean): Preferences {
  if (body.timeZone !== undefined && resolveTimeZone(body.timeZone) === null) {
    throw new HeadwayError('VALIDATION_FAILED', `body field "timeZone": ${JSON.stringify(body.timeZone)} is not an IANA time zone; use a name like "Europe/Paris" or "UTC"`);
  }
  const defaults = defaultPreferences();
  const webhook = body.contacts?.webhook ?? null;
  const keptSecret = current.contacts.webhook?.url === webhook?.url ? current.contacts.webhook?.secret : undefined;
  return {
    timeZone: body.timeZone ?? defaults.timeZone,
    contacts: {
      email: body.contacts?.email ?? null,
      phone: body.contacts?.phone ?? null,
      webhook: webhook && { url: webhook.url, secret: webhook.secret ?? keptSecret ?? newWebhookSecret(), disabledAt: webhookSent ? null : (webhook.disabledAt ?? null) },
    },
    channels: body.channels ?? defaults.channels,
    types: body.types ?? defaults.types,
    quietHours: body.quietHours ?? null,
    mutedJobs: body.mutedJobs ?? defaults.mutedJobs,
    escalation: body.escalation ?? defaults.escalation,
  };
}
