import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { putPreferences, runJob, startNotifyServer } from './support/notify-server.js';

/** A clock the test moves: real time plus an offset, so timers and leases still advance. */
function movableClock(startAt: number) {
  let offset = startAt - Date.now();
  return { now: () => Date.now() + offset, set: (at: number) => void (offset = at - Date.now()) };
}

interface Item {
  id: string;
  type: string;
  status: string;
  readAt: number | null;
}

describe('unread means delivered and not read: list, count and mark-read agree', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('an in-app item deferred by quiet hours is neither listed unread, counted nor marked read, and arrives unread', async () => {
    const clock = movableClock(Date.parse('2026-01-15T22:30:00Z')); // 23:30 in Paris
    server = await startNotifyServer({ now: clock.now });
    const s = server;
    await putPreferences(s, 'ada', { timeZone: 'Europe/Paris', quietHours: { start: '22:00', end: '07:00' } });
    await runJob(s, 'ada', 'completed'); // deferred to 07:00 Paris
    await runJob(s, 'ada', 'failed'); // urgent: breaks through
    const inApp = async () => (await s.request<{ items: Item[] }>('GET', '/v1/notifications?user=ada&channel=in_app')).body.items;
    const items = await eventually(async () => {
      const all = await inApp();
      // Each job's job.started too: deferred, as the completion is.
      return all.length === 4 && all.some((i) => i.type === 'job.failed' && i.status === 'sent') ? all : undefined;
    });
    const failed = items.find((i) => i.type === 'job.failed')!;
    const completed = items.find((i) => i.type === 'job.completed')!;
    const deferredIds = items.filter((i) => i.status === 'deferred').map((i) => i.id).sort();
    expect(deferredIds).toHaveLength(3);
    expect(deferredIds).toContain(completed.id);

    const unreadList = async () => (await s.request<{ items: Item[] }>('GET', '/v1/notifications?user=ada&unread=true')).body.items.map((i) => i.id);
    const unreadCount = async () => (await s.request<{ count: number }>('GET', '/v1/notifications/unread-count?user=ada')).body.count;
    expect(await unreadList()).toEqual([failed.id]);
    expect(await unreadCount()).toBe(1);

    const marked = await s.request<{ changed: number; unread: number }>('POST', '/v1/notifications/read', { body: { user: 'ada' } });
    expect(marked.body).toMatchObject({ changed: 1, unread: 0 });
    // Marking it by id does not reach it either while it waits.
    const byId = await s.request<{ changed: number }>('POST', '/v1/notifications/read', { body: { user: 'ada', ids: [completed.id] } });
    expect(byId.body.changed).toBe(0);
    expect(await unreadList()).toEqual([]);

    clock.set(Date.parse('2026-01-16T06:00:01Z'));
    const delivered = await eventually(async () => {
      const all = (await inApp()).filter((i) => deferredIds.includes(i.id));
      return all.every((i) => i.status === 'sent') ? all : undefined;
    }, 15_000, 'the deferred items delivered');
    expect(delivered.map((i) => i.readAt)).toEqual([null, null, null]);
    expect((await unreadList()).sort()).toEqual(deferredIds);
    expect(await unreadCount()).toBe(3);
  });
});
