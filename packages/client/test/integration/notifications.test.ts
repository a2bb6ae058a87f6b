import { describe, expect, it } from 'vitest';
import { HeadwayError, type HeadwayClient, type InAppNotification } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { startNotifyingServer } from '../support/notify-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';

describe('notifications through the client', () => {
  const live = liveServerPerSuite(startNotifyingServer);

  async function userClient(userId: string, url = live.server.url): Promise<HeadwayClient> {
    const { token } = await live.admin.mintToken(userId, { ttlSeconds: 600 });
    return live.client({ url, token, reconnect: { baseMs: 50, maxMs: 300 } });
  }

  /** A job of `owner` taken to completed, as a worker would. */
  async function completeJobOf(owner: string, title: string): Promise<string> {
    const job = await live.admin.createJob({ type: 'report.build', owner, title });
    await live.admin.start(job.id);
    await live.admin.complete(job.id, { ok: true });
    return job.id;
  }

  it('a user token lists, counts and marks its in-app notifications read, one or all', async () => {
    const ada = await userClient('ada');
    const jobId = await completeJobOf('ada', 'Quarterly report');
    // Defaults: in-app for every type, so "started" and "completed".
    const feed = await waitFor('two in-app notifications', async () => {
      const page = await ada.notifications.list({ channel: 'in_app', status: 'sent' });
      return page.items.length === 2 ? page.items : null;
    });
    expect(feed.map((n) => n.type).sort()).toEqual(['job.completed', 'job.started']);
    expect(feed.every((n) => n.jobId === jobId && n.userId === 'ada' && n.readAt === null)).toBe(true);
    expect(await ada.notifications.unreadCount()).toBe(2);

    // Paging by cursor: two pages of one, newest first, no overlap.
    const first = await ada.notifications.list({ channel: 'in_app', limit: 1 });
    const second = await ada.notifications.list({ channel: 'in_app', limit: 1, cursor: first.nextCursor! });
    expect([first.items[0]!.id, second.items[0]!.id].sort()).toEqual(feed.map((n) => n.id).sort());
    expect(first.items[0]!.createdAt).toBeGreaterThanOrEqual(second.items[0]!.createdAt);

    const completed = feed.find((n) => n.type === 'job.completed')!;
    expect(await ada.notifications.markRead([completed.id])).toMatchObject({ user: 'ada', changed: 1, unread: 1 });
    expect((await ada.notifications.list({ channel: 'in_app', unread: true })).items.map((n) => n.type)).toEqual(['job.started']);
    expect(await ada.notifications.markAllRead()).toMatchObject({ changed: 1, unread: 0 });
    expect(await ada.notifications.unreadCount()).toBe(0);
    // The admin key names the user it acts for.
    expect(await live.admin.notifications.unreadCount({ user: 'ada' })).toBe(0);
  });

  it('watchNotifications pushes a completed job live over the one socket the job watch uses', async () => {
    const bea = await userClient('bea');
    const jobs: string[] = [];
    const pushed: InAppNotification[] = [];
    let syncs = 0;
    const stopJobs = bea.watch({ user: 'bea' }, (update) => jobs.splice(0, jobs.length, ...update.jobs.map((j) => j.id)));
    const stopNotes = bea.watchNotifications('bea', (n) => pushed.push(n), { onSync: () => syncs++ });
    await waitFor('the channel synced', () => syncs === 1);
    const connections = async () => (await live.server.request<{ liveConnections: number }>('GET', '/v1/system')).body.liveConnections;
    const before = await connections();

    const jobId = await completeJobOf('bea', 'Nightly export');
    await waitFor('the completion pushed', () => pushed.some((n) => n.type === 'job.completed'));
    const completed = pushed.find((n) => n.type === 'job.completed')!;
    expect(completed).toMatchObject({ userId: 'bea', jobId, channel: 'in_app', readAt: null });
    expect(completed.title).toContain('Nightly export');
    await waitFor('the job in the job watch too', () => jobs.includes(jobId));
    // Both watches share the client's connection; no second socket was opened for them.
    expect(await connections()).toBe(before);
    expect(syncs).toBe(1);
    stopNotes();
    stopJobs();
  });

  it('after a cut connection it reconnects by itself and asks for a re-read (pushes are not replayed)', async () => {
    const proxy = await new TcpProxy(() => live.server.port).start();
    try {
      const cy = await userClient('cy', proxy.url);
      const pushed: InAppNotification[] = [];
      let syncs = 0;
      const stop = cy.watchNotifications('cy', (n) => pushed.push(n), { onSync: () => syncs++ });
      await waitFor('the first sync', () => syncs === 1);
      proxy.block();
      await waitFor('the reconnecting state', () => cy.connection.get().status === 'reconnecting');
      const missedJob = await completeJobOf('cy', 'Done while away');
      await waitFor('the notification stored', async () => (await live.admin.notifications.unreadCount({ user: 'cy' })) === 2);
      proxy.unblock();
      await waitFor('a second sync after reconnecting', () => syncs === 2);
      expect(pushed).toEqual([]);
      const feed = await cy.notifications.list({ channel: 'in_app' });
      expect(feed.items.filter((n) => n.jobId === missedJob)).toHaveLength(2);
      // Live again: the next one is pushed.
      const liveJob = await completeJobOf('cy', 'Done after');
      await waitFor('the next push', () => pushed.some((n) => n.jobId === liveJob && n.type === 'job.completed'));
      stop();
    } finally {
      await proxy.stop();
    }
  });

  it('pushes arrive over server-sent events too (the fallback when WebSocket is blocked)', async () => {
    const { token } = await live.admin.mintToken('fay', { ttlSeconds: 600 });
    const fay = live.client({ token, transports: ['sse'] });
    const pushed: InAppNotification[] = [];
    let syncs = 0;
    const stop = fay.watchNotifications('fay', (n) => pushed.push(n), { onSync: () => syncs++ });
    await waitFor('the sync over SSE', () => syncs === 1 && fay.connection.get().transport === 'sse');
    const jobId = await completeJobOf('fay', 'Over SSE');
    await waitFor('the completion pushed over SSE', () => pushed.some((n) => n.jobId === jobId && n.type === 'job.completed'));
    stop();
  });

  it("another user's notifications are refused, live and over REST", async () => {
    const dee = await userClient('dee');
    const errors: Error[] = [];
    dee.watchNotifications('ada', () => {}, { onError: (error) => errors.push(error) });
    await waitFor('the refusal', () => errors.length === 1);
    expect(errors[0]).toBeInstanceOf(HeadwayError);
    await expect(dee.notifications.unreadCount({ user: 'ada' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reads default preferences, saves changes and reports a bad value naming the field', async () => {
    const eve = await userClient('eve');
    const defaults = await eve.notifications.preferences('eve');
    expect(defaults).toMatchObject({ timeZone: 'UTC', quietHours: null, contacts: { email: null, phone: null, webhook: null } });
    const saved = await eve.notifications.savePreferences('eve', {
      timeZone: 'Europe/Paris',
      contacts: { email: 'eve@example.test', webhook: { url: 'https://hooks.example.test/eve' } },
      types: { 'job.completed': { channels: { email: false }, frequency: 'daily' } },
      quietHours: { start: '22:00', end: '07:00' },
      mutedJobs: ['job-1'],
    });
    expect(saved.contacts.webhook?.secret).toMatch(/^whsec_/);
    expect(await eve.notifications.preferences('eve')).toEqual(saved);
    await expect(eve.notifications.savePreferences('eve', { contacts: { phone: '555-1234' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('contacts.phone') });
    await expect(eve.notifications.savePreferences('eve', { timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ message: expect.stringContaining('IANA') });
    await expect(eve.notifications.preferences('ada')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('setJobMuted from two tabs at the same moment keeps every mute; unmuting one keeps the others', async () => {
    const tabs = [await userClient('fay'), await userClient('fay')];
    const jobs = Array.from({ length: 20 }, (_, i) => `job-${i}`);
    await Promise.all(jobs.map((jobId, i) => tabs[i % 2]!.notifications.setJobMuted('fay', jobId, true)));
    expect([...(await tabs[0]!.notifications.preferences('fay')).mutedJobs].sort()).toEqual([...jobs].sort());

    const afterUnmute = await tabs[1]!.notifications.setJobMuted('fay', 'job-3', false);
    expect(afterUnmute.mutedJobs).toHaveLength(19);
    expect(afterUnmute.mutedJobs).not.toContain('job-3');
    // Idempotent both ways.
    expect((await tabs[0]!.notifications.setJobMuted('fay', 'job-3', false)).mutedJobs).toEqual(afterUnmute.mutedJobs);
    expect((await tabs[0]!.notifications.setJobMuted('fay', 'job-4', true)).mutedJobs).toEqual(afterUnmute.mutedJobs);
    await expect(tabs[0]!.notifications.setJobMuted('ada', 'job-1', true)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
