import { beforeAll, describe, expect, it } from 'vitest';
import { createClient, HeadwayError, type FetchLike, type HeadwayClient } from '@headway/client';
import { liveServerPerSuite } from '../../client/test/support/live-server.js';
import { startNotifyingServer } from '../../client/test/support/notify-server.js';
import { waitFor } from '../../client/test/support/wait.js';
import { MutedJobsStore, mutedJobsStoreFor, NotificationFeedStore } from '../src/index.js';

const runNow = (callback: () => void) => callback();

describe('muted jobs and seen marks over the real API', () => {
  const live = liveServerPerSuite(startNotifyingServer);
  let eva: HeadwayClient;
  beforeAll(async () => {
    eva = live.client({ token: (await live.admin.mintToken('eva', { ttlSeconds: 600 })).token });
  });

  it('mutes and unmutes one job, keeping the jobs muted elsewhere, and two stores of the same client share one state', async () => {
    await live.admin.notifications.savePreferences('eva', { mutedJobs: ['job-from-the-preferences-page'] });
    const store = mutedJobsStoreFor(eva, 'eva');
    expect(mutedJobsStoreFor(eva, 'eva')).toBe(store);
    const stop = store.subscribe(() => {});
    await waitFor('the stored list read', () => store.getSnapshot().muted?.has('job-from-the-preferences-page'));

    const saving = store.setMuted('job-a', true);
    // Shown at once, before the server answered.
    expect(store.getSnapshot().muted?.has('job-a')).toBe(true);
    expect(store.getSnapshot().saving.has('job-a')).toBe(true);
    await saving;
    expect(store.getSnapshot().saving.size).toBe(0);
    expect((await live.admin.notifications.preferences('eva')).mutedJobs).toEqual(['job-from-the-preferences-page', 'job-a']);

    await store.setMuted('job-a', false);
    expect([...store.getSnapshot().muted!]).toEqual(['job-from-the-preferences-page']);
    expect((await live.admin.notifications.preferences('eva')).mutedJobs).toEqual(['job-from-the-preferences-page']);
    stop();
  });

  it('a refused change is taken back and its error kept for that job', async () => {
    const store = new MutedJobsStore(eva, 'eva');
    const stop = store.subscribe(() => {});
    await waitFor('loaded', () => store.getSnapshot().muted !== null);
    // The server caps job ids at 100 characters.
    const tooLong = 'x'.repeat(101);
    await store.setMuted(tooLong, true);
    const snapshot = store.getSnapshot();
    expect(snapshot.muted?.has(tooLong)).toBe(false);
    const failure = snapshot.failures.get(tooLong);
    expect(failure).toBeInstanceOf(HeadwayError);
    expect((failure as HeadwayError).code).toBe('VALIDATION_FAILED');
    expect(failure?.message).toContain('"jobId"');
    stop();
  });

  it('two mutes in flight together both stay shown, whichever answer lands last', async () => {
    const token = (await live.admin.mintToken('gil', { ttlSeconds: 600 })).token;
    // Holds the answer to muting job-x (stored already) until released, so job-y's answer lands first.
    let holding = () => {};
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const gated = createClient({
      url: live.server.url,
      token,
      fetch: async (input, init) => {
        const answer = await fetch(input, init);
        if (new URL(input).pathname.endsWith('/muted-jobs/job-x')) {
          holding();
          await held;
        }
        return answer;
      },
    });
    const store = new MutedJobsStore(gated, 'gil');
    const stop = store.subscribe(() => {});
    await waitFor('loaded', () => store.getSnapshot().muted !== null);

    const x = store.setMuted('job-x', true);
    await new Promise<void>((resolve) => (holding = resolve));
    await store.setMuted('job-y', true);
    expect([...store.getSnapshot().muted!].sort()).toEqual(['job-x', 'job-y']);
    // job-x's answer holds the list as it was before job-y was muted.
    release();
    await x;
    expect([...store.getSnapshot().muted!].sort()).toEqual(['job-x', 'job-y']);
    expect(store.getSnapshot().saving.size).toBe(0);
    expect([...(await live.admin.notifications.preferences('gil')).mutedJobs].sort()).toEqual(['job-x', 'job-y']);
    stop();
    gated.close();
  });

  it('markSeen records the shown notifications as seen without reading them', async () => {
    const job = await live.admin.createJob({ type: 'report.build', owner: 'eva', title: 'Seen check' });
    await live.admin.start(job.id);
    await live.admin.complete(job.id);
    const feed = new NotificationFeedStore(eva, 'eva', runNow);
    const stop = feed.subscribe(() => {});
    await waitFor('both notifications listed', () => feed.getSnapshot().items.filter((n) => n.jobId === job.id && n.status === 'sent').length === 2);
    // The server's own count: the feed's may still be on its way (it is asked after each push).
    const unreadBefore = await eva.notifications.unreadCount();
    const shown = feed.getSnapshot().items.filter((n) => n.jobId === job.id);
    expect(shown.every((n) => n.seenAt === null)).toBe(true);

    await feed.markSeen(shown.map((n) => n.id));
    expect(feed.getSnapshot().items.filter((n) => n.jobId === job.id).every((n) => n.seenAt !== null)).toBe(true);
    const stored = (await eva.notifications.list({ jobId: job.id, channel: 'in_app' })).items;
    expect(stored).toHaveLength(2);
    expect(stored.every((n) => n.seenAt !== null && n.readAt === null)).toBe(true);
    expect(await eva.notifications.unreadCount()).toBe(unreadBefore);
    await waitFor('the feed count settles on the unchanged server count', () => feed.getSnapshot().unread === unreadBefore);
    expect(feed.getSnapshot().error).toBeNull();
    stop();
  });

  it('a seen mark made while a reload is in flight is kept when the older answer lands', async () => {
    const job = await live.admin.createJob({ type: 'report.build', owner: 'eva', title: 'Seen during reload' });
    await live.admin.start(job.id);
    await live.admin.complete(job.id);
    const token = (await live.admin.mintToken('eva', { ttlSeconds: 600 })).token;
    // Holds answers to the feed's list (read before the mark) until released.
    let hold: Promise<void> | null = null;
    let release = () => {};
    const held: FetchLike = async (input, init) => {
      const answer = await fetch(input, init);
      if (hold && new URL(input).pathname === '/v1/notifications') await hold;
      return answer;
    };
    const gated = createClient({ url: live.server.url, token, fetch: held });
    const feed = new NotificationFeedStore(gated, 'eva', runNow);
    const stop = feed.subscribe(() => {});
    await waitFor('both notifications listed', () => feed.getSnapshot().items.filter((n) => n.jobId === job.id && n.status === 'sent').length === 2);

    hold = new Promise((resolve) => (release = resolve));
    const reloading = feed.reload();
    const shown = feed.getSnapshot().items.filter((n) => n.jobId === job.id).map((n) => n.id);
    await feed.markSeen(shown);
    release();
    await reloading;
    hold = null;
    expect(feed.getSnapshot().items.filter((n) => n.jobId === job.id).every((n) => n.seenAt !== null)).toBe(true);
    stop();
    gated.close();
  });
});
