import type { NotificationRecord } from '../../store/notification-store.js';
import { CHANNEL_NAMES, type ChannelName, type NotificationData } from '../types.js';
import { hasContact, resolveDelivery, typePolicy } from './resolve.js';
import type { Preferences } from './schema.js';

/** Whether a node can send a channel is not the user's choice: another node may. */
const EVERY_CHANNEL: ReadonlySet<ChannelName> = new Set(CHANNEL_NAMES);

type Queued = Pick<NotificationRecord, 'userId' | 'type' | 'channel' | 'jobId' | 'escalatedFrom' | 'data'>;

/**
 * Why a queued notification is no longer wanted by its user, by the preferences as they are now,
 * or null to send it. Preferences were applied when it was queued; a mute, a switch turned off
 * or a contact removed since then must hold for what is still waiting (quiet hours, retries).
 * The rules are the enqueuer's (resolveDelivery), except for rows chosen otherwise: an escalation
 * (the user's escalation chain) and a digest message (grouped by its type) are undone only by a
 * mute, an explicit switch off, or a missing contact. Pure.
 */
export function skipReason(row: Queued, prefs: Preferences, criticalTypes: readonly string[]): string | null {
  const policy = typePolicy(row.type, criticalTypes);
  const muted = policy.critical ? undefined : mutedJobOf(row.jobId, row.data, prefs);
  if (muted !== undefined) return `skipped: ${row.userId} muted job ${muted}`;
  if (!hasContact(prefs, row.channel)) return `skipped: ${row.userId}'s preferences have no ${contactName(row.channel)} now`;
  const chosenOtherwise = row.escalatedFrom !== null || row.data.digest !== undefined;
  const wanted = chosenOtherwise ? !switchedOff(prefs, row.type, row.channel) || (policy.critical && policy.defaultChannels.includes(row.channel)) : resolveDelivery(row.type, row.jobId, prefs, policy, EVERY_CHANNEL).channels.includes(row.channel);
  return wanted ? null : `skipped: ${row.userId} switched ${row.channel} off for ${row.type}`;
}

/** A digest's items without those of jobs muted since; null when none is left. Critical types keep all. */
export function digestStillWanted(data: NotificationData, prefs: Preferences, criticalTypes: readonly string[]): NotificationData | null {
  if (!data.digest || typePolicy(data.type, criticalTypes).critical) return data;
  const items = data.digest.items.filter((item) => mutedJobOf(item.job?.id ?? null, item, prefs) === undefined);
  if (items.length === data.digest.items.length) return data;
  return items.length === 0 ? null : { ...data, digest: { ...data.digest, count: items.length, items } };
}

/** The muted job this notification is about: its own, or its batch (muting a batch mutes its items). */
function mutedJobOf(jobId: string | null, data: NotificationData, prefs: Preferences): string | undefined {
  return [jobId, data.job?.parentId ?? null].find((id): id is string => id !== null && prefs.mutedJobs.includes(id));
}

function switchedOff(prefs: Preferences, type: string, channel: ChannelName): boolean {
  return (prefs.types[type]?.channels?.[channel] ?? prefs.channels[channel]) === false;
}

function contactName(channel: ChannelName): string {
  if (channel === 'email') return 'email address';
  if (channel === 'sms') return 'phone number';
  return 'enabled webhook';
}
