import { uuidv7 } from 'uuidv7';
import type { AttemptOutcome, NewDigestItem, NewNotification, NotificationAttempt } from '../../../src/store/notification-store.js';
import type { ChannelName, NotificationData } from '../../../src/notify/types.js';

/** What a template renders, with nested values, Unicode and a null, to prove the JSON round trip. */
export function makeData(overrides: Partial<NotificationData> = {}): NotificationData {
  return { type: 'job.completed', at: 1_000, job: null, counts: { total: 3, pending: 0, running: 0, paused: 0, completed: 2, failed: 1, cancelled: 0 }, alert: { kind: 'stalled', message: 'Zoë’s import — 5 min', minutes: 5, nested: { ok: null } }, ...overrides };
}

/** An outbox row as the enqueuer writes it; the key is unique per call unless given. */
export function makeNotification(overrides: Partial<NewNotification> = {}): NewNotification {
  const id = overrides.id ?? uuidv7();
  return { id, key: `event-${id}|ada|email`, userId: 'ada', type: 'job.completed', channel: 'email', jobId: null, urgent: false, data: makeData(), dueAt: 1_000, ...overrides };
}

export function makeDigestItem(overrides: Partial<NewDigestItem> = {}): NewDigestItem {
  return {
    digestId: uuidv7(),
    itemKey: `event-${uuidv7()}|ada|digest`,
    userId: 'ada',
    type: 'job.completed',
    digestKey: 'all',
    windowStart: 0,
    windowEnd: 3_600_000,
    channels: ['email'],
    jobId: null,
    data: makeData(),
    ...overrides,
  };
}

/** One attempt's outcome for `complete`, as the dispatcher reports it. */
export function outcome(
  id: string,
  leaseOwner: string,
  attempt: number,
  status: AttemptOutcome['status'],
  extra: { channel?: ChannelName; error?: string | null; dueAt?: number; title?: string; text?: string; at?: number } = {},
): AttemptOutcome {
  const at = extra.at ?? 2_000;
  const record: NotificationAttempt = { attempt, channel: extra.channel ?? 'email', startedAt: at, endedAt: at + 5, outcome: status, error: extra.error ?? (status === 'sent' ? null : 'connection refused') };
  return {
    id,
    leaseOwner,
    attempt: record,
    status,
    ...(extra.dueAt !== undefined ? { dueAt: extra.dueAt } : {}),
    ...(extra.title !== undefined ? { title: extra.title } : {}),
    ...(extra.text !== undefined ? { text: extra.text } : {}),
  };
}
