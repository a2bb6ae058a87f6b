import { describe, expect, it } from 'vitest';
import { digestStillWanted, skipReason } from '../../src/notify/preferences/still-wanted.js';
import { defaultPreferences, type Preferences } from '../../src/notify/preferences/schema.js';
import type { JobSummary, NotificationData } from '../../src/notify/types.js';

function prefs(overrides: Partial<Preferences> = {}): Preferences {
  return { ...defaultPreferences(), contacts: { email: 'ada@example.test', phone: '+15551234567', webhook: null }, ...overrides };
}

function job(id: string, parentId: string | null = null): JobSummary {
  return { id, type: 'import', title: null, owner: 'ada', parentId, status: 'completed', percent: 100, done: 1, total: 1, unit: null, message: null, tags: [], error: null, counts: null, createdAt: 0, startedAt: 0, finishedAt: 1 };
}

function row(overrides: { type?: string; channel?: 'in_app' | 'email' | 'sms'; jobId?: string | null; escalatedFrom?: string | null; data?: NotificationData } = {}) {
  const jobId = overrides.jobId === undefined ? 'j-1' : overrides.jobId;
  const type = overrides.type ?? 'job.completed';
  return { userId: 'ada', type, channel: overrides.channel ?? 'email', jobId, escalatedFrom: overrides.escalatedFrom ?? null, data: overrides.data ?? { type, at: 1, job: jobId ? job(jobId) : null } };
}

describe('a queued notification checked against the preferences as they are when it is sent', () => {
  it('is sent when nothing changed, skipped when its job or its batch is muted', () => {
    expect(skipReason(row(), prefs(), [])).toBeNull();
    expect(skipReason(row(), prefs({ mutedJobs: ['j-1'] }), [])).toBe('skipped: ada muted job j-1');
    const child = row({ type: 'job.failed', jobId: 'item-7', data: { type: 'job.failed', at: 1, job: job('item-7', 'batch-1') } });
    expect(skipReason(child, prefs({ mutedJobs: ['batch-1'] }), [])).toBe('skipped: ada muted job batch-1');
  });

  it('a critical type is never skipped for a mute nor for its default channels switched off', () => {
    const alert = row({ type: 'alert.stalled', channel: 'in_app' });
    const off = prefs({ mutedJobs: ['j-1'], channels: { in_app: false } });
    expect(skipReason(alert, off, ['alert.stalled'])).toBeNull();
    expect(skipReason(alert, off, [])).toBe('skipped: ada muted job j-1');
  });

  it('is skipped when its channel was switched off for its type or for all types, or its contact removed', () => {
    expect(skipReason(row(), prefs({ types: { 'job.completed': { channels: { email: false } } } }), [])).toBe('skipped: ada switched email off for job.completed');
    expect(skipReason(row(), prefs({ channels: { email: false } }), [])).toBe('skipped: ada switched email off for job.completed');
    // The type's switch wins over the channel's, as when it was queued.
    expect(skipReason(row(), prefs({ channels: { email: false }, types: { 'job.completed': { channels: { email: true } } } }), [])).toBeNull();
    expect(skipReason(row(), prefs({ contacts: { email: null, phone: null, webhook: null } }), [])).toBe("skipped: ada's preferences have no email address now");
  });

  it('an escalation (a channel the type does not use) is skipped only by a mute, a switch off or a missing contact', () => {
    const escalation = row({ type: 'job.failed', channel: 'sms', escalatedFrom: 'n-1' });
    expect(skipReason(escalation, prefs(), [])).toBeNull();
    expect(skipReason(escalation, prefs({ channels: { sms: false } }), [])).toBe('skipped: ada switched sms off for job.failed');
    expect(skipReason(escalation, prefs({ mutedJobs: ['j-1'] }), [])).toBe('skipped: ada muted job j-1');
  });

  it('a digest leaves out the items of jobs muted since, and is skipped when none is left', () => {
    const items = [job('j-1'), job('j-2'), job('item-3', 'batch-9')].map((j): NotificationData => ({ type: 'job.completed', at: 1, job: j }));
    const digest: NotificationData = { type: 'job.completed', at: 2, job: null, digest: { count: 3, windowStart: 0, windowEnd: 2, items } };
    expect(digestStillWanted(digest, prefs(), [])).toBe(digest);
    expect(digestStillWanted(digest, prefs({ mutedJobs: ['j-2', 'batch-9'] }), [])!.digest).toEqual({ count: 1, windowStart: 0, windowEnd: 2, items: [items[0]] });
    expect(digestStillWanted(digest, prefs({ mutedJobs: ['j-1', 'j-2', 'batch-9'] }), [])).toBeNull();
    expect(skipReason(row({ jobId: null, data: digest }), prefs({ types: { 'job.completed': { channels: { email: false } } } }), [])).toBe('skipped: ada switched email off for job.completed');
  });
});
