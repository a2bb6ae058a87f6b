import { HeadwayError } from '@headway/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { defaultTemplate, overriddenFields, withBuiltIn } from '../../notify/templates/defaults.js';
import { TemplateCatalog } from '../../notify/templates/catalog.js';
import { sampleData } from '../../notify/templates/sample.js';
import { summaryOf } from '../../notify/triggers.js';
import { CHANNEL_NAMES, DIGEST_TEMPLATE, NOTIFICATION_TYPE_PATTERN, type ChannelName } from '../../notify/types.js';
import { requireNotificationsAdmin } from '../../notify/access.js';
import { answer, authenticatedAnswers } from './answers.js';
import { PreviewAnswer, SavedTemplateAnswer, TemplateAnswer, TemplatesAnswer } from './notification-answers.js';
import { bearer } from './schemas.js';

const TemplateParams = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 200, description: 'notification type, e.g. job.completed, alert.stalled, or digest' }),
    channel: Type.Union(CHANNEL_NAMES.map((c) => Type.Literal(c))),
  },
  { additionalProperties: false },
);
type TemplateParams = Static<typeof TemplateParams>;

const TemplateBody = Type.Object(
  {
    subject: Type.Optional(Type.String({ maxLength: 2_000 })),
    text: Type.Optional(Type.String({ maxLength: 50_000 })),
    html: Type.Optional(Type.String({ maxLength: 200_000 })),
    json: Type.Optional(Type.String({ maxLength: 50_000 })),
  },
  { additionalProperties: false },
);
type TemplateBody = Static<typeof TemplateBody>;

const PreviewBody = Type.Object(
  {
    template: Type.Optional(TemplateBody),
    jobId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'render against this job instead of the sample job' })),
  },
  { additionalProperties: false },
);
type PreviewBody = Static<typeof PreviewBody>;

function checkType(type: string): void {
  if (type !== DIGEST_TEMPLATE && !NOTIFICATION_TYPE_PATTERN.test(type)) {
    throw new HeadwayError('VALIDATION_FAILED', `path parameter "type": ${JSON.stringify(type)} is not a notification type; use a dotted name like job.completed or alert.stalled, or digest`);
  }
}

/** Template overrides per type × channel (Liquid, sandboxed), validated when saved, with a preview. */
export async function templateRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const catalog = new TemplateCatalog(headway.store.notifications, Date.now);
  const route = '/v1/notification-templates/:type/:channel';

  const listAnswers = authenticatedAnswers({ 200: answer('The templates', TemplatesAnswer) }, []);
  app.get('/v1/notification-templates', { schema: { tags: ['notifications'], summary: 'Every template in use: each saved override over the built-in fields, then the built-in ones', security: bearer, response: listAnswers } }, async (request) => {
    requireNotificationsAdmin(request.actor);
    const custom = await headway.store.notifications.listTemplates();
    const items = TemplateCatalog.knownTypes().flatMap((type) =>
      CHANNEL_NAMES.filter((channel) => !custom.some((c) => c.type === type && c.channel === channel)).map((channel) => ({ type, channel, source: 'default', template: defaultTemplate(type, channel), overridden: [] })),
    );
    // An override may set some fields only: list what is sent, and which fields are the override's.
    const overrides = custom.map((c) => ({
      type: c.type,
      channel: c.channel,
      source: 'custom',
      template: withBuiltIn(c.type, c.channel, c.template),
      overridden: overriddenFields(c.channel, c.template),
      updatedAt: c.updatedAt,
    }));
    return { items: [...overrides, ...items] };
  });

  const getAnswers = authenticatedAnswers({ 200: answer('The template in use', TemplateAnswer) }, [400]);
  app.get<{ Params: TemplateParams }>(route, { schema: { tags: ['notifications'], summary: 'The template in use for a type and channel', params: TemplateParams, security: bearer, response: getAnswers } }, async (request) => {
    requireNotificationsAdmin(request.actor);
    const { type, channel } = request.params;
    checkType(type);
    const custom = await headway.store.notifications.getTemplate(type, channel);
    return { type, channel, source: custom ? 'custom' : 'default', template: withBuiltIn(type, channel, custom), overridden: overriddenFields(channel, custom) };
  });

  app.put<{ Params: TemplateParams; Body: TemplateBody }>(
    route,
    {
      schema: {
        tags: ['notifications'],
        summary: 'Save an override; fields left out keep the built-in text; a broken template is rejected (TEMPLATE_INVALID with line and reason)',
        params: TemplateParams,
        body: TemplateBody,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('Saved, with a rendering against the sample job', SavedTemplateAnswer) }, [400, 413]),
      },
    },
    async (request) => {
      requireNotificationsAdmin(request.actor);
      const { type, channel } = request.params;
      checkType(type);
      const preview = await catalog.save(type, channel, request.body);
      // Answered as GET answers it: the template that will be sent, not only the fields saved.
      return { type, channel, source: 'custom', template: withBuiltIn(type, channel, request.body), overridden: overriddenFields(channel, request.body), preview };
    },
  );

  const resetAnswers = authenticatedAnswers({ 204: answer('The built-in template is in use again', null) }, [400, 404]);
  app.delete<{ Params: TemplateParams }>(route, { schema: { tags: ['notifications'], summary: 'Go back to the built-in template', params: TemplateParams, security: bearer, response: resetAnswers } }, async (request, reply) => {
    requireNotificationsAdmin(request.actor);
    const { type, channel } = request.params;
    if (!(await catalog.reset(type, channel))) throw new HeadwayError('NOT_FOUND', `no saved template for ${type} × ${channel}; the built-in one is in use`);
    return reply.status(204).send();
  });

  app.post<{ Params: TemplateParams; Body: PreviewBody }>(
    `${route}/preview`,
    {
      schema: {
        tags: ['notifications'],
        summary: 'Render a template (the one sent, else the one in use) against a sample job or a real one',
        params: TemplateParams,
        body: PreviewBody,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The rendering', PreviewAnswer) }, [400, 404, 413]),
      },
    },
    async (request) => {
      requireNotificationsAdmin(request.actor);
      const { type, channel } = request.params;
      checkType(type);
      const data = request.body.jobId ? { ...sampleData(type), job: summaryOf(await headway.jobs.get(request.body.jobId, request.actor)) } : undefined;
      const rendered = await catalog.preview(type, channel as ChannelName, request.body.template, data);
      return { type, channel, rendered };
    },
  );
}
