import { expect, it } from 'vitest';
import { defaultPreferences, type Preferences } from '../../../src/notify/preferences/schema.js';
import type { NotificationStoreContext } from '../notification-conformance.js';

export function settingsTests(ctx: NotificationStoreContext): void {
  const adaPrefs: Preferences = {
    timeZone: 'Europe/Paris',
    contacts: { email: 'ada@example.com', phone: '+15551234567', webhook: { url: 'http://127.0.0.1:9/hook', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', disabledAt: null } },
    channels: { email: true, sms: false },
    types: { 'job.failed': { channels: { sms: true }, frequency: 'immediate', breakThrough: true }, 'job.completed': { frequency: 'daily', digestBy: 'jobType' } },
    quietHours: { start: '22:00', end: '07:30' },
    mutedJobs: ['job-1', 'job-2'],
    escalation: ['sms', 'email'],
  };

  it('preferences round trip per user, a second put replaces the first, and unknown users are absent', async () => {
    const store = ctx.notifications();
    expect((await store.getPreferences(['ada'])).size).toBe(0);
    await store.updatePreferences('ada', () => adaPrefs, 1_000);
    await store.updatePreferences('bob', () => defaultPreferences(), 1_000);
    const found = await store.getPreferences(['ada', 'bob', 'carol', 'ada']);
    expect([...found.keys()].sort()).toEqual(['ada', 'bob']);
    expect(found.get('ada')).toEqual(adaPrefs);
    expect(found.get('bob')).toEqual(defaultPreferences());

    const changed: Preferences = { ...adaPrefs, quietHours: null, mutedJobs: [], contacts: { ...adaPrefs.contacts, webhook: null } };
    await store.updatePreferences('ada', () => changed, 2_000);
    expect((await store.getPreferences(['ada'])).get('ada')).toEqual(changed);
  });

  it('preferences of many users come back in one call', async () => {
    const store = ctx.notifications();
    const users = Array.from({ length: 1_200 }, (_, i) => `user-${i}`);
    for (const userId of [users[0]!, users[599]!, users[1_199]!]) await store.updatePreferences(userId, (defaults) => ({ ...defaults, timeZone: 'Asia/Tokyo' }), 1_000);
    const found = await store.getPreferences(users);
    expect([...found.keys()].sort()).toEqual(['user-0', 'user-1199', 'user-599']);
    expect(found.get('user-1199')?.timeZone).toBe('Asia/Tokyo');
  });

  it('updatePreferences changes the stored document in turn: concurrent changes from two nodes all survive, the first write included', async () => {
    const store = ctx.notifications();
    const other = await ctx.openSame();
    const jobs = Array.from({ length: 12 }, (_, i) => `job-${i}`);
    const mute = (on: typeof store, jobId: string) => on.updatePreferences('ada', (p) => ({ ...p, mutedJobs: [...p.mutedJobs, jobId] }), 1_000);
    await Promise.all([...jobs.map((jobId, i) => mute(i % 2 ? store : other, jobId)), other.updatePreferences('ada', (p) => ({ ...p, timeZone: 'Asia/Tokyo' }), 1_000)]);
    const stored = (await store.getPreferences(['ada'])).get('ada')!;
    expect([...stored.mutedJobs].sort()).toEqual([...jobs].sort());
    expect(stored.timeZone).toBe('Asia/Tokyo');
  });

  it('updatePreferences answers what is stored, and writes nothing when the change returns the current document or throws', async () => {
    const store = ctx.notifications();
    expect(await store.updatePreferences('bob', (p) => p, 1_000)).toEqual(defaultPreferences());
    expect((await store.getPreferences(['bob'])).size).toBe(0);
    await store.updatePreferences('bob', () => adaPrefs, 1_000);
    const refused = store.updatePreferences('bob', () => { throw new Error('refused by the change'); }, 2_000);
    await expect(refused).rejects.toThrow('refused by the change');
    expect((await store.getPreferences(['bob'])).get('bob')).toEqual(adaPrefs);
    const changed = await store.updatePreferences('bob', (p) => ({ ...p, mutedJobs: p.mutedJobs.filter((id) => id !== 'job-1') }), 3_000);
    expect(changed).toEqual({ ...adaPrefs, mutedJobs: ['job-2'] });
    expect((await store.getPreferences(['bob'])).get('bob')).toEqual(changed);
  });

  it('watches: added once, listed oldest first, found by job or type, removed once', async () => {
    const store = ctx.notifications();
    expect(await store.watch({ userId: 'ada', target: { kind: 'job', value: 'job-1' }, createdAt: 2_000 })).toBe(true);
    expect(await store.watch({ userId: 'ada', target: { kind: 'job', value: 'job-1' }, createdAt: 3_000 })).toBe(false);
    expect(await store.watch({ userId: 'ada', target: { kind: 'type', value: 'import' }, createdAt: 1_000 })).toBe(true);
    expect(await store.watch({ userId: 'bob', target: { kind: 'job', value: 'job-2' }, createdAt: 1_000 })).toBe(true);
    expect(await store.watch({ userId: 'carol', target: { kind: 'type', value: 'import' }, createdAt: 1_000 })).toBe(true);
    // A type and a job with the same name are different targets.
    expect(await store.watch({ userId: 'dan', target: { kind: 'job', value: 'import' }, createdAt: 1_000 })).toBe(true);

    expect(await store.watchesOf('ada')).toEqual([
      { userId: 'ada', target: { kind: 'type', value: 'import' }, createdAt: 1_000 },
      { userId: 'ada', target: { kind: 'job', value: 'job-1' }, createdAt: 2_000 },
    ]);
    expect(await store.watchesOf('nobody')).toEqual([]);
    expect((await store.watchers(['job-1', 'job-2'], 'import')).sort()).toEqual(['ada', 'bob', 'carol']);
    expect((await store.watchers(['job-2'], null)).sort()).toEqual(['bob']);
    expect((await store.watchers([], 'import')).sort()).toEqual(['ada', 'carol']);
    expect(await store.watchers([], null)).toEqual([]);

    expect(await store.unwatch('ada', { kind: 'job', value: 'job-1' })).toBe(true);
    expect(await store.unwatch('ada', { kind: 'job', value: 'job-1' })).toBe(false);
    expect((await store.watchers(['job-1'], null))).toEqual([]);
  });

  it('template overrides: put, replace, list in (type, channel) order, delete once', async () => {
    const store = ctx.notifications();
    expect(await store.getTemplate('job.failed', 'email')).toBeNull();
    expect(await store.listTemplates()).toEqual([]);
    const email = { subject: 'Failed: {{ job.title }}', text: 'It failed — {{ job.error.message }}', html: '<p>{{ job.title | escape }}</p>' };
    await store.putTemplate('job.failed', 'email', email, 1_000);
    await store.putTemplate('job.completed', 'webhook', { json: '{"id": {{ job.id | json }}}' }, 1_100);
    await store.putTemplate('job.completed', 'email', { subject: 'Done' }, 1_200);
    expect(await store.getTemplate('job.failed', 'email')).toEqual(email);
    expect(await store.getTemplate('job.failed', 'sms')).toBeNull();

    await store.putTemplate('job.failed', 'email', { subject: 'Replaced' }, 2_000);
    expect(await store.getTemplate('job.failed', 'email')).toEqual({ subject: 'Replaced' });
    expect(await store.listTemplates()).toEqual([
      { type: 'job.completed', channel: 'email', template: { subject: 'Done' }, updatedAt: 1_200 },
      { type: 'job.completed', channel: 'webhook', template: { json: '{"id": {{ job.id | json }}}' }, updatedAt: 1_100 },
      { type: 'job.failed', channel: 'email', template: { subject: 'Replaced' }, updatedAt: 2_000 },
    ]);
    expect(await store.deleteTemplate('job.failed', 'email')).toBe(true);
    expect(await store.deleteTemplate('job.failed', 'email')).toBe(false);
    expect(await store.getTemplate('job.failed', 'email')).toBeNull();
  });
}
