import { InAppNotificationSchema } from '@headway/protocol';
import { Type, type TSchema } from '@sinclair/typebox';
import { TypePreferenceSchema } from '../../notify/preferences/schema.js';
import { CHANNEL_NAMES } from '../../notify/types.js';
import { pageOf } from './answers.js';

/** What the notification, preference, watch and template routes answer (documentation; see answers.ts). */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOf = (values: readonly string[]) => Type.Unsafe<string>({ type: 'string', enum: [...values] });
const epochMs = Type.Integer({ description: 'epoch ms' });
const Channel = oneOf(CHANNEL_NAMES);

const Attempt = Type.Object({
  attempt: Type.Integer(),
  channel: Channel,
  startedAt: epochMs,
  endedAt: epochMs,
  outcome: oneOf(['sent', 'failed', 'dead']),
  error: nullable(Type.String()),
});

export const NotificationPage = pageOf(Type.Object({ ...InAppNotificationSchema.properties, history: Type.Array(Attempt, { description: 'every send attempt, oldest first' }) }));

export const UnreadCountAnswer = Type.Object({ user: Type.String(), count: Type.Integer({ minimum: 0 }) });

export const MarkedAnswer = Type.Object({
  user: Type.String(),
  changed: Type.Integer({ minimum: 0, description: 'notifications this request marked' }),
  unread: Type.Integer({ minimum: 0, description: 'unread in-app notifications left' }),
});

const Switches = Type.Record(Type.String(), Type.Boolean(), { description: 'on/off per channel (in_app, email, sms, webhook, log); a channel left out has no opinion' });

/** A user's stored preferences, every field present. */
export const PreferencesAnswer = Type.Object({
  timeZone: Type.String(),
  contacts: Type.Object({
    email: nullable(Type.String()),
    phone: nullable(Type.String()),
    webhook: nullable(Type.Object({ url: Type.String(), secret: Type.String({ description: 'Standard Webhooks secret (whsec_...)' }), disabledAt: nullable(epochMs) })),
  }),
  channels: Switches,
  types: Type.Record(Type.String(), TypePreferenceSchema),
  quietHours: nullable(Type.Object({ start: Type.String(), end: Type.String() })),
  mutedJobs: Type.Array(Type.String()),
  escalation: Type.Array(Channel),
});

const WatchTarget = {
  jobId: Type.Optional(Type.String({ description: 'a watched job (one of jobId or jobType)' })),
  jobType: Type.Optional(Type.String({ description: 'a watched job type' })),
};

export const WatchesAnswer = Type.Object({ items: Type.Array(Type.Object({ ...WatchTarget, createdAt: epochMs })) });

export const WatchAnswer = Type.Object({ ...WatchTarget, created: Type.Boolean({ description: 'false when the user already watched it' }) });

const Template = Type.Object({ subject: Type.Optional(Type.String()), text: Type.Optional(Type.String()), html: Type.Optional(Type.String()), json: Type.Optional(Type.String()) });

const Rendered = Type.Object({ subject: nullable(Type.String()), text: nullable(Type.String()), html: nullable(Type.String()), json: nullable(Type.String()) });

const templateFields = { type: Type.String(), channel: Channel, source: oneOf(['default', 'custom']), template: Template };

/** The template in use (the override's fields over the built-in ones) and which fields are the override's. */
const inUseFields = {
  ...templateFields,
  template: Type.Object(Template.properties, { description: 'the template in use, as sent: the saved override\'s fields over the built-in ones' }),
  overridden: Type.Array(oneOf(Object.keys(Template.properties)), { description: 'the fields the saved override sets; the others are the built-in text (none for source default)' }),
};

export const TemplatesAnswer = Type.Object({
  items: Type.Array(Type.Object({ ...inUseFields, updatedAt: Type.Optional(epochMs) }), { description: 'saved overrides first, then the built-in template of every other type × channel' }),
});

export const TemplateAnswer = Type.Object(inUseFields);

export const SavedTemplateAnswer = Type.Object({ ...inUseFields, preview: Rendered });

export const PreviewAnswer = Type.Object({ type: Type.String(), channel: Channel, rendered: Rendered });
