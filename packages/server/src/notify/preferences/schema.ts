import { Type, type Static } from '@sinclair/typebox';
import { CHANNEL_NAMES, FREQUENCIES, type ChannelName } from '../types.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v as T[number])));

/** on/off per channel; a channel left out means "no opinion" and the next rule decides. */
const ChannelSwitches = Type.Object(
  {
    in_app: Type.Optional(Type.Boolean()),
    email: Type.Optional(Type.Boolean()),
    sms: Type.Optional(Type.Boolean()),
    webhook: Type.Optional(Type.Boolean()),
    log: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour, in the user time zone' });

export const TypePreferenceSchema = Type.Object(
  {
    channels: Type.Optional(ChannelSwitches),
    frequency: Type.Optional(literals(FREQUENCIES)),
    /** Deliver during quiet hours anyway (defaults to true for failures and alerts). */
    breakThrough: Type.Optional(Type.Boolean()),
    /** How a digest groups: one message for all jobs, or one per job type. */
    digestBy: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('jobType')])),
  },
  { additionalProperties: false },
);

/**
 * http(s), a host name, IPv4 or [IPv6] address, an optional port, then anything without blanks.
 * Refuses at save time what would fail at every send: no host ("http://"), a blank in it, and
 * credentials in the authority ("http://user:pw@host/": '@' is not a host character).
 */
const WEBHOOK_URL_PATTERN = '^https?://(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?(?:[/?#]\\S*)?$';

export const WebhookUrl = Type.String({
  pattern: WEBHOOK_URL_PATTERN,
  maxLength: 2000,
  description: 'an http(s) URL with a host and no user:password@ (the signature authenticates; a password here would be stored and listed), e.g. https://example.com/hooks/headway',
});
/** Standard Webhooks secret (`whsec_` + base64). */
export const WebhookSecret = Type.String({ pattern: '^whsec_[A-Za-z0-9+/=]{16,}$' });
export const EmailAddress = Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320, description: 'an email address, e.g. ada@example.com' });
export const PhoneNumber = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164, e.g. +15551234567' });
export const TimeZoneName = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris' });
export const TYPE_KEY = { pattern: '^[a-z][a-z0-9_.-]*$' };
export const TYPES_DESCRIPTION = 'notification types, e.g. job.completed or alert.stalled (lowercase letters, digits, ".", "_", "-")';
export { HourMinute, literals };

export const WebhookContactSchema = Type.Object(
  {
    url: WebhookUrl,
    /** Generated when left out (kept when the URL is the stored one). */
    secret: Type.Optional(WebhookSecret),
    /** Set by the server when the receiver answered 410 Gone; PUT the contact again to re-enable. */
    disabledAt: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  },
  { additionalProperties: false },
);

/** The most jobs one user may mute: the whole list is part of the preferences document. */
export const MAX_MUTED_JOBS = 1000;
export const MutedJobId = Type.String({ minLength: 1, maxLength: 100, description: 'a job id; muting a batch mutes its items' });

export const PreferencesBodySchema = Type.Object(
  {
    timeZone: Type.Optional(TimeZoneName),
    contacts: Type.Optional(
      Type.Object(
        {
          email: Type.Optional(Type.Union([EmailAddress, Type.Null()])),
          phone: Type.Optional(Type.Union([PhoneNumber, Type.Null()])),
          webhook: Type.Optional(Type.Union([WebhookContactSchema, Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
    channels: Type.Optional(ChannelSwitches),
    // additionalProperties: a Record's key pattern alone lets any other key through unchecked.
    types: Type.Optional(
      Type.Record(Type.String(TYPE_KEY), TypePreferenceSchema, { additionalProperties: false, description: TYPES_DESCRIPTION }),
    ),
    quietHours: Type.Optional(Type.Union([Type.Object({ start: HourMinute, end: HourMinute }, { additionalProperties: false }), Type.Null()])),
    mutedJobs: Type.Optional(Type.Array(MutedJobId, { maxItems: MAX_MUTED_JOBS })),
    /** Channels to try, in order, when an urgent notification keeps failing on its channel. */
    escalation: Type.Optional(Type.Array(literals(CHANNEL_NAMES), { maxItems: CHANNEL_NAMES.length })),
  },
  { additionalProperties: false },
);
export type PreferencesBody = Static<typeof PreferencesBodySchema>;
export type TypePreference = Static<typeof TypePreferenceSchema>;
export type ChannelSwitchMap = Partial<Record<ChannelName, boolean>>;

/** A user's stored preferences, every field present. */
export interface Preferences {
  timeZone: string;
  contacts: { email: string | null; phone: string | null; webhook: { url: string; secret: string; disabledAt: number | null } | null };
  channels: ChannelSwitchMap;
  types: Record<string, TypePreference>;
  quietHours: { start: string; end: string } | null;
  mutedJobs: string[];
  escalation: ChannelName[];
}

export const DEFAULT_ESCALATION: ChannelName[] = ['email', 'sms', 'webhook', 'in_app'];

export function defaultPreferences(): Preferences {
  return { timeZone: 'UTC', contacts: { email: null, phone: null, webhook: null }, channels: {}, types: {}, quietHours: null, mutedJobs: [], escalation: [...DEFAULT_ESCALATION] };
}

/** A stored document merged over the defaults, so fields added by later releases get their default. */
export function withDefaults(stored: Partial<Preferences>): Preferences {
  const defaults = defaultPreferences();
  return { ...defaults, ...stored, contacts: { ...defaults.contacts, ...stored.contacts } };
}
