import type { NewDigestItem, NewNotification } from '../store/notification-store.js';
import { digestWindow } from './digest-window.js';
import type { Preferences } from './preferences/schema.js';
import { defaultPreferences } from './preferences/schema.js';
import { resolveDelivery, typePolicy } from './preferences/resolve.js';
import type { ChannelName, Trigger } from './types.js';

/** Channels a digest never delays: the in-app feed and the system log are cheap and already grouped by their readers. */
const ALWAYS_IMMEDIATE: ReadonlySet<ChannelName> = new Set(['in_app', 'log']);

export interface PlanContext {
  now: number;
  newId: () => string;
  criticalTypes: readonly string[];
  sendable: ReadonlySet<ChannelName>;
}

/**
 * What one trigger writes for one recipient: outbox rows for immediate channels and digest
 * items for the others when the user asked for a digest. Keys make every write idempotent:
 * `<trigger key>|<user>|<channel>` and `<trigger key>|<user>|digest`. Pure.
 */
export function planFor(trigger: Trigger, userId: string, prefs: Preferences | undefined, ctx: PlanContext): { notifications: NewNotification[]; digestItems: NewDigestItem[] } {
  const userPrefs = prefs ?? defaultPreferences();
  const policy = typePolicy(trigger.type, ctx.criticalTypes);
  const resolution = resolveDelivery(trigger.type, trigger.jobId, userPrefs, policy, ctx.sendable);
  // Muting a batch mutes its children too.
  if (!policy.critical && trigger.parentId !== null && userPrefs.mutedJobs.includes(trigger.parentId)) return { notifications: [], digestItems: [] };
  const immediate = resolution.frequency === 'immediate' ? resolution.channels : resolution.channels.filter((c) => ALWAYS_IMMEDIATE.has(c));
  const delayed = resolution.frequency === 'immediate' ? [] : resolution.channels.filter((c) => !ALWAYS_IMMEDIATE.has(c));
  const notifications = immediate.map((channel) => ({
    id: ctx.newId(),
    key: `${trigger.key}|${userId}|${channel}`,
    userId,
    type: trigger.type,
    channel,
    jobId: trigger.jobId,
    urgent: resolution.urgent,
    data: trigger.data,
    dueAt: ctx.now,
  }));
  const digestItems: NewDigestItem[] = [];
  if (delayed.length > 0 && resolution.frequency !== 'immediate') {
    const window = digestWindow(resolution.frequency, ctx.now, userPrefs.timeZone);
    const digestKey = resolution.digestBy === 'jobType' ? `jobType:${trigger.jobType ?? ''}` : 'all';
    digestItems.push({
      digestId: ctx.newId(),
      itemKey: `${trigger.key}|${userId}|digest`,
      userId,
      type: trigger.type,
      digestKey,
      windowStart: window.start,
      windowEnd: window.end,
      channels: delayed,
      jobId: trigger.jobId,
      data: trigger.data,
    });
  }
  return { notifications, digestItems };
}

/** Escalation rows extend the original key, so each (notification, next channel) is written once. */
export function escalationKey(originalKey: string, channel: ChannelName): string {
  return `${originalKey}>${channel}`;
}

/** Channels already tried along an escalation chain (`event|user|email>sms` → email, sms). */
export function channelsTried(key: string): ChannelName[] {
  const [first, ...escalations] = key.split('>');
  const original = first!.slice(first!.lastIndexOf('|') + 1);
  return [original, ...escalations] as ChannelName[];
}
