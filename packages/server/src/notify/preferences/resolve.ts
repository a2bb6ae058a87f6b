import { CHANNEL_NAMES, type ChannelName, type Frequency } from '../types.js';
import type { Preferences } from './schema.js';

/** What the service knows about a notification type, independent of any user. */
export interface TypePolicy {
  /** Cannot be switched off (nor muted): the default channels always apply. */
  critical: boolean;
  /** Breaks through quiet hours unless the user says otherwise, and escalates when its channel keeps failing. */
  urgent: boolean;
  defaultChannels: ChannelName[];
}

const DEFAULT_EMAIL_TYPES = new Set(['job.completed', 'job.failed', 'batch.completed']);

/** Defaults: in-app for everything, email for completions and failures; failures and alerts are urgent. */
export function typePolicy(type: string, criticalTypes: readonly string[]): TypePolicy {
  return {
    critical: criticalTypes.includes(type),
    urgent: type === 'job.failed' || type.startsWith('alert.'),
    defaultChannels: DEFAULT_EMAIL_TYPES.has(type) ? ['in_app', 'email'] : ['in_app'],
  };
}

export interface Resolution {
  /** Channels to deliver on, in CHANNEL_NAMES order; only those this node can send and the user has a contact for. */
  channels: ChannelName[];
  frequency: Frequency;
  digestBy: 'all' | 'jobType';
  breakThrough: boolean;
  urgent: boolean;
}

/**
 * Which channels a user gets a notification type on, in one documented order (as Novu does):
 *   1. a critical type cannot be switched off: its default channels always apply (the user may add more);
 *   2. the user's switch for this type and channel;
 *   3. the user's switch for the channel (all types);
 *   4. the defaults (in-app everything, email for completed and failed).
 * A muted job notifies nobody except for critical types. A channel with no contact point
 * (no email address, phone, or an enabled webhook), or that this node cannot send, is dropped.
 */
export function resolveDelivery(type: string, jobId: string | null, prefs: Preferences, policy: TypePolicy, sendable: ReadonlySet<ChannelName>): Resolution {
  const typePrefs = prefs.types[type] ?? {};
  const urgent = policy.urgent;
  const frequency: Frequency = typePrefs.frequency ?? 'immediate';
  const base = { frequency, digestBy: typePrefs.digestBy ?? 'all', breakThrough: typePrefs.breakThrough ?? urgent, urgent } as const;
  const muted = jobId !== null && prefs.mutedJobs.includes(jobId);
  if (muted && !policy.critical) return { ...base, channels: [] };
  const channels = CHANNEL_NAMES.filter((channel) => {
    const byDefault = policy.defaultChannels.includes(channel);
    const typeSwitch = typePrefs.channels?.[channel];
    const channelSwitch = prefs.channels[channel];
    if (policy.critical && byDefault) return true;
    if (typeSwitch !== undefined) return typeSwitch;
    if (channelSwitch !== undefined) return channelSwitch;
    return byDefault;
  });
  return { ...base, channels: channels.filter((c) => sendable.has(c) && hasContact(prefs, c)) };
}

export function hasContact(prefs: Preferences, channel: ChannelName): boolean {
  switch (channel) {
    case 'email':
      return prefs.contacts.email !== null;
    case 'sms':
      return prefs.contacts.phone !== null;
    case 'webhook':
      return prefs.contacts.webhook !== null && prefs.contacts.webhook.disabledAt === null;
    default:
      return true;
  }
}

/**
 * The user's next channel for an urgent notification of `type` whose channels so far keep failing.
 * Never one the user switched off (for this type, else for all types: the order resolveDelivery
 * follows), nor one the event already went to: those tried along the chain and those the event
 * itself was sent on (which resolveDelivery gives again from the same preferences). Without `type`
 * only the channel switches and the tried channels count.
 */
export function nextEscalationChannel(prefs: Preferences, tried: readonly ChannelName[], sendable: ReadonlySet<ChannelName>, type?: string): ChannelName | null {
  const typeSwitches = type === undefined ? undefined : prefs.types[type]?.channels;
  const switchedOff = (c: ChannelName) => (typeSwitches?.[c] ?? prefs.channels[c]) === false;
  // No job id: a muted job's event has no row to escalate from, so muting cannot change the answer.
  const eventWentTo = type === undefined ? [] : resolveDelivery(type, null, prefs, typePolicy(type, []), sendable).channels;
  const used = new Set([...tried, ...eventWentTo]);
  return prefs.escalation.find((c) => !used.has(c) && !switchedOff(c) && sendable.has(c) && hasContact(prefs, c)) ?? null;
}
