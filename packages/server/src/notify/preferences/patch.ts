import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CHANNEL_NAMES, FREQUENCIES } from '../types.js';
import { EmailAddress, HourMinute, literals, MAX_MUTED_JOBS, MutedJobId, PhoneNumber, TimeZoneName, TYPE_KEY, TYPES_DESCRIPTION, WebhookSecret, WebhookUrl } from './schema.js';

/** A member a patch may set, or remove with null (it goes back to its default). */
const removable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

const ChannelSwitchesPatch = Type.Object(Object.fromEntries(CHANNEL_NAMES.map((c) => [c, removable(Type.Boolean())])), { additionalProperties: false });

const TypePreferencePatch = Type.Object(
  {
    channels: removable(ChannelSwitchesPatch),
    frequency: removable(literals(FREQUENCIES)),
    breakThrough: removable(Type.Boolean()),
    digestBy: removable(Type.Union([Type.Literal('all'), Type.Literal('jobType')])),
  },
  { additionalProperties: false },
);

/**
 * PATCH /v1/users/:id/preferences: a JSON Merge Patch (RFC 7396) of the preferences document.
 * Objects merge member by member at every depth, null removes a member, arrays and values replace.
 */
export const PreferencesPatchSchema = Type.Object(
  {
    timeZone: removable(TimeZoneName),
    contacts: removable(
      Type.Object(
        {
          email: removable(EmailAddress),
          phone: removable(PhoneNumber),
          // disabledAt is the server's: accepted so a diff of two documents applies, then ignored.
          webhook: removable(Type.Object({ url: Type.Optional(WebhookUrl), secret: removable(WebhookSecret), disabledAt: removable(Type.Integer()) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    channels: removable(ChannelSwitchesPatch),
    types: removable(Type.Record(Type.String(TYPE_KEY), Type.Union([TypePreferencePatch, Type.Null()]), { additionalProperties: false, description: TYPES_DESCRIPTION })),
    quietHours: removable(Type.Object({ start: Type.Optional(HourMinute), end: Type.Optional(HourMinute) }, { additionalProperties: false })),
    mutedJobs: removable(Type.Array(MutedJobId, { maxItems: MAX_MUTED_JOBS })),
    escalation: removable(Type.Array(literals(CHANNEL_NAMES), { maxItems: CHANNEL_NAMES.length })),
  },
  { additionalProperties: false },
);
export type PreferencesPatch = Static<typeof PreferencesPatchSchema>;

/** RFC 7396: the patch's members over the target's, objects merged recursively, null deleting. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const merged: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = applyMergePatch(merged[key], value);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
