import { JOB_NOTIFICATION_TYPES, preferencesPatch, type ChannelSwitches, type DigestFrequency, type NotificationPreferences, type PreferencesChange, type TypePreference } from '@headway/client';

/** Channels a user chooses between (`log` is for operators). */
export const USER_CHANNELS = ['in_app', 'email', 'sms', 'webhook'] as const;
export type UserChannel = (typeof USER_CHANNELS)[number];
export const CHANNEL_LABELS: Record<UserChannel, string> = { in_app: 'In-app', email: 'Email', sms: 'SMS', webhook: 'Webhook' };

/** "default" leaves the decision to the next rule (the server's defaults in the end). */
export type Switch = 'default' | 'on' | 'off';

export interface TypeRow {
  channels: Record<UserChannel, Switch>;
  frequency: DigestFrequency;
  /** Fields this form does not edit (breakThrough, digestBy, log), kept as stored. */
  kept: TypePreference;
}

/** The page's editable state: strings as typed, so a half-typed value is never lost. */
export interface PreferencesForm {
  timeZone: string;
  email: string;
  phone: string;
  webhookUrl: string;
  channels: Record<UserChannel, Switch>;
  types: Record<string, TypeRow>;
  quietEnabled: boolean;
  quietStart: string;
  quietEnd: string;
  mutedJobs: string[];
}

export type FormField = 'timeZone' | 'email' | 'phone' | 'webhookUrl' | 'channels' | 'types' | 'quietStart' | 'quietEnd' | 'mutedJobs';
export type FieldErrors = Partial<Record<FormField, string>>;

function switchesOf(channels: ChannelSwitches | undefined): Record<UserChannel, Switch> {
  const out = {} as Record<UserChannel, Switch>;
  for (const channel of USER_CHANNELS) out[channel] = channels?.[channel] === undefined ? 'default' : channels[channel] ? 'on' : 'off';
  return out;
}

function channelsOf(switches: Record<UserChannel, Switch>, kept: ChannelSwitches = {}): ChannelSwitches {
  const out: ChannelSwitches = kept.log === undefined ? {} : { log: kept.log };
  for (const channel of USER_CHANNELS) if (switches[channel] !== 'default') out[channel] = switches[channel] === 'on';
  return out;
}

export function formOf(prefs: NotificationPreferences): PreferencesForm {
  const types: Record<string, TypeRow> = {};
  for (const type of [...JOB_NOTIFICATION_TYPES, ...Object.keys(prefs.types).filter((t) => !(JOB_NOTIFICATION_TYPES as readonly string[]).includes(t))]) {
    const stored = prefs.types[type] ?? {};
    types[type] = { channels: switchesOf(stored.channels), frequency: stored.frequency ?? 'immediate', kept: stored };
  }
  return {
    timeZone: prefs.timeZone,
    email: prefs.contacts.email ?? '',
    phone: prefs.contacts.phone ?? '',
    webhookUrl: prefs.contacts.webhook?.url ?? '',
    channels: switchesOf(prefs.channels),
    types,
    quietEnabled: prefs.quietHours !== null,
    quietStart: prefs.quietHours?.start ?? '22:00',
    quietEnd: prefs.quietHours?.end ?? '07:00',
    mutedJobs: [...prefs.mutedJobs],
  };
}

/** Spaces, dots, dashes and brackets people type in phone numbers; the server wants bare E.164. */
export function normalisePhone(phone: string): string {
  return phone.replace(/[\s().-]/g, '');
}

/**
 * The PATCH body (a merge patch): what the page changed against the preferences it loaded, and
 * nothing else, so what changed elsewhere meanwhile stays: a job muted from a panel or another
 * tab, the webhook (its secret and a 410's disabled state) unless its URL was edited here.
 * A switch or type row put back to default is sent as null, which removes it.
 */
export function changeOf(form: PreferencesForm, stored: NotificationPreferences): PreferencesChange {
  const webhookUrl = form.webhookUrl.trim();
  const types: Record<string, TypePreference> = {};
  for (const [type, row] of Object.entries(form.types)) {
    const { channels: keptChannels, frequency: _frequency, ...kept } = row.kept;
    const channels = channelsOf(row.channels, keptChannels);
    const entry: TypePreference = { ...kept, ...(Object.keys(channels).length > 0 ? { channels } : {}), ...(row.frequency !== 'immediate' ? { frequency: row.frequency } : {}) };
    if (Object.keys(entry).length > 0) types[type] = entry;
  }
  const webhook = webhookUrl === (stored.contacts.webhook?.url ?? '') ? stored.contacts.webhook : webhookUrl ? { url: webhookUrl } : null;
  return preferencesPatch(stored, {
    timeZone: form.timeZone.trim(),
    contacts: { email: form.email.trim() || null, phone: normalisePhone(form.phone) || null, webhook },
    channels: channelsOf(form.channels, stored.channels),
    types,
    quietHours: form.quietEnabled ? { start: form.quietStart, end: form.quietEnd } : null,
    mutedJobs: form.mutedJobs,
    escalation: stored.escalation,
  });
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** Checks what the server would refuse, with messages that say what to type instead. */
export function validate(form: PreferencesForm): FieldErrors {
  const errors: FieldErrors = {};
  const zone = form.timeZone.trim();
  if (!isTimeZone(zone)) errors.timeZone = `"${zone}" is not an IANA time zone; use a name like Europe/Paris, America/New_York or UTC.`;
  const email = form.email.trim();
  if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) errors.email = 'Enter an address like name@example.com.';
  const phone = normalisePhone(form.phone);
  if (phone && !/^\+[1-9][0-9]{6,14}$/.test(phone)) errors.phone = 'Use the international format: + then the country code and number, e.g. +15551234567.';
  const url = form.webhookUrl.trim();
  if (url && !isHttpUrl(url)) errors.webhookUrl = 'Enter a full http:// or https:// address.';
  if (form.quietEnabled) {
    if (!HH_MM.test(form.quietStart)) errors.quietStart = 'Enter a start time (HH:MM).';
    if (!HH_MM.test(form.quietEnd)) errors.quietEnd = 'Enter an end time (HH:MM).';
    else if (form.quietStart === form.quietEnd) errors.quietEnd = 'The end must differ from the start.';
  }
  const missing = missingContacts(form);
  if (missing.email && !email) errors.email = 'Email is switched on: add an address, or switch email off.';
  if (missing.sms && !phone) errors.phone = 'SMS is switched on: add a phone number, or switch SMS off.';
  if (missing.webhook && !url) errors.webhookUrl = 'Webhook is switched on: add a URL, or switch it off.';
  return errors;
}

/** Channels switched on explicitly somewhere, whose contact point is needed. */
function missingContacts(form: PreferencesForm): Partial<Record<UserChannel, boolean>> {
  const on: Partial<Record<UserChannel, boolean>> = {};
  for (const switches of [form.channels, ...Object.values(form.types).map((row) => row.channels)]) {
    for (const channel of USER_CHANNELS) if (switches[channel] === 'on') on[channel] = true;
  }
  return on;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && text.length <= 2000;
  } catch {
    return false;
  }
}

const SERVER_FIELDS: Array<[RegExp, FormField]> = [
  [/^timeZone/, 'timeZone'],
  [/^contacts\.email/, 'email'],
  [/^contacts\.phone/, 'phone'],
  [/^contacts\.webhook/, 'webhookUrl'],
  [/^quietHours\.end/, 'quietEnd'],
  [/^quietHours/, 'quietStart'],
  [/^mutedJobs/, 'mutedJobs'],
  [/^types/, 'types'],
  [/^channels/, 'channels'],
];

/** The form field a server validation message is about (`body field "contacts.phone": ...`), if any. */
export function fieldOfServerMessage(message: string): FormField | null {
  const named = /body field "([^"]+)"/.exec(message)?.[1];
  if (!named) return null;
  return SERVER_FIELDS.find(([pattern]) => pattern.test(named))?.[1] ?? null;
}
