import { HeadwayError } from '@headway/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Headway } from '../../headway.js';
import { viewOf } from '../../notify/delivery.js';
import { CHANNEL_NAMES, DELIVERY_STATUSES, type DeliveryStatus } from '../../notify/types.js';
import type { Authenticate } from '../auth/authenticate.js';
import { requireAuthentication } from '../auth/request-actor.js';
import { requireNotificationsAdmin, requireUserAccess } from '../../notify/access.js';
import { mutedJobRoutes } from './muted-jobs.js';
import { preferenceRoutes } from './preferences.js';
import { answer, authenticatedAnswers } from './answers.js';
import { MarkedAnswer, NotificationPage, UnreadCountAnswer } from './notification-answers.js';
import { bearer } from './schemas.js';
import { templateRoutes } from './templates.js';

/** Adds /v1/notifications, /v1/users/:id/preferences, muted jobs and watches, and /v1/notification-templates, behind authentication. */
export async function registerNotificationRoutes(app: FastifyInstance, headway: Headway, authenticate: Authenticate): Promise<void> {
  await app.register(async (api) => {
    requireAuthentication(api, authenticate);
    await notificationRoutes(api, headway);
    await preferenceRoutes(api, headway);
    await mutedJobRoutes(api, headway);
    await templateRoutes(api, headway);
  });
}

/** The user a request is about: its own for a user token, else the `user` it names (or everyone, for listings). */
function userOf(request: FastifyRequest, named: string | undefined, what: string): string | undefined {
  const actor = request.actor;
  if (actor.kind === 'user') {
    requireUserAccess(actor, named ?? actor.userId, what);
    return actor.userId;
  }
  if (named !== undefined) requireUserAccess(actor, named, what);
  else requireNotificationsAdmin(actor);
  return named;
}

const ListQuery = Type.Object(
  {
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    status: Type.Optional(Type.String({ description: `comma list of ${DELIVERY_STATUSES.join(', ')}` })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    channel: Type.Optional(Type.Union(CHANNEL_NAMES.map((c) => Type.Literal(c)))),
    jobId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    unread: Type.Optional(Type.Boolean({ description: 'true: only in-app notifications not read yet. Exactly true or false (1, 0, TRUE, yes are refused)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'page size, default 50' })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
type ListQuery = Static<typeof ListQuery>;

const UserQuery = Type.Object({ user: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false });
type UserQuery = Static<typeof UserQuery>;

const MarkBody = Type.Object(
  {
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 500, description: 'leave out to mark all' })),
  },
  { additionalProperties: false },
);
type MarkBody = Static<typeof MarkBody>;

function statusesOf(raw: string | undefined): DeliveryStatus[] | undefined {
  if (raw === undefined) return undefined;
  const statuses = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = statuses.filter((s) => !(DELIVERY_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new HeadwayError('VALIDATION_FAILED', `query parameter "status": unknown status ${unknown.join(', ')}; use ${DELIVERY_STATUSES.join(', ')}`);
  return statuses as DeliveryStatus[];
}

async function notificationRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const store = headway.store.notifications;

  app.get<{ Querystring: ListQuery }>(
    '/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'List notifications with their delivery state and attempt history (newest first)',
        querystring: ListQuery,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('One page of notifications', NotificationPage) }, [400]),
      },
    },
    async (request) => {
      const q = request.query;
      const userId = userOf(request, q.user, 'notifications');
      const statuses = statusesOf(q.status);
      const page = await store.list({
        limit: q.limit ?? 50,
        ...(userId !== undefined ? { userId } : {}),
        ...(statuses ? { statuses } : {}),
        ...(q.type !== undefined ? { type: q.type } : {}),
        ...(q.channel !== undefined ? { channel: q.channel } : {}),
        ...(q.jobId !== undefined ? { jobId: q.jobId } : {}),
        ...(q.unread ? { unreadOnly: true } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
      });
      return { items: page.items.map((item) => ({ ...viewOf(item), history: item.history })), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Querystring: UserQuery }>(
    '/v1/notifications/unread-count',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Number of unread in-app notifications of a user',
        querystring: UserQuery,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The count', UnreadCountAnswer) }, [400]),
      },
    },
    async (request) => {
      const userId = requiredUser(userOf(request, request.query.user, 'notifications'));
      return { user: userId, count: await store.unreadCount(userId) };
    },
  );

  for (const state of ['read', 'seen'] as const) {
    app.post<{ Body: MarkBody }>(
      `/v1/notifications/${state}`,
      {
        schema: {
          tags: ['notifications'],
          summary: `Mark in-app notifications ${state} (all of the user's when ids is left out)`,
          body: MarkBody,
          security: bearer,
          response: authenticatedAnswers({ 200: answer('How many changed, and how many are still unread', MarkedAnswer) }, [400, 413]),
        },
      },
      async (request) => {
        const userId = requiredUser(userOf(request, request.body.user, 'notifications'));
        const now = headway.now();
        const changed = state === 'read' ? await store.markRead(userId, request.body.ids, now) : await store.markSeen(userId, request.body.ids, now);
        const unread = await store.unreadCount(userId);
        return { user: userId, changed, unread };
      },
    );
  }
}

function requiredUser(userId: string | undefined): string {
  if (userId === undefined) throw new HeadwayError('VALIDATION_FAILED', 'name the user: pass "user" (the admin key and API keys act for any user)');
  return userId;
}
