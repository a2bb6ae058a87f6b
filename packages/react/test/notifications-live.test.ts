import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HeadwayClient } from '@headway/client';
import { liveServerPerSuite } from '../../client/test/support/live-server.js';
import { startNotifyingServer } from '../../client/test/support/notify-server.js';
import { waitFor } from '../../client/test/support/wait.js';
import { HeadwayProvider, NotificationFeedStore, notificationStoreFor, useNotifications, useUnreadCount } from '../src/index.js';

function Bell(props: { userId: string | null }) {
  const unread = useUnreadCount(props.userId);
  const feed = useNotifications(props.userId);
  return createElement('p', null, `unread ${unread ?? '?'}; ${feed.items.map((n) => n.type).join(',')}`);
}

describe('notification hooks over the live feed', () => {
  const live = liveServerPerSuite(startNotifyingServer);
  let ada: HeadwayClient;
  beforeAll(async () => {
    ada = live.client({ token: (await live.admin.mintToken('ada', { ttlSeconds: 600 })).token });
  });

  async function completeJobOf(owner: string): Promise<string> {
    const job = await live.admin.createJob({ type: 'report.build', owner, title: `Report for ${owner}` });
    await live.admin.start(job.id);
    await live.admin.complete(job.id);
    return job.id;
  }

  it('loads on sync, merges live pushes into one frame, and applies read marks with the server count', async () => {
    const frames: Array<() => void> = [];
    const store = new NotificationFeedStore(ada, 'ada', (callback) => frames.push(callback));
    const unsubscribe = store.subscribe(() => {});
    const runFrames = () => {
      while (frames.length) frames.shift()!();
    };
    await waitFor('the first load', () => (runFrames(), store.getSnapshot().unread === 0));
    expect(store.getSnapshot()).toMatchObject({ items: [], loading: false, hasMore: false });

    // A second watcher of the same channel, added after the store's, hears each push after it.
    let pushes = 0;
    const stopCounting = ada.watchNotifications('ada', () => pushes++);
    // Two pushes (started, completed) before the next frame: one publication.
    const jobId = await completeJobOf('ada');
    await waitFor('both pushes received', () => pushes === 2);
    expect(frames.length).toBe(1);
    stopCounting();
    const before = store.getSnapshot();
    runFrames();
    const after = store.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.unread).toBe(2);
    expect(after.items.map((n) => n.type)).toEqual(['job.completed', 'job.started']);
    expect(after.items.every((n) => n.jobId === jobId)).toBe(true);

    await store.markRead(after.items[0]!.id);
    runFrames();
    expect(store.getSnapshot().unread).toBe(1);
    expect(store.getSnapshot().items[0]!.readAt).not.toBeNull();
    await store.markAllRead();
    runFrames();
    expect(store.getSnapshot().unread).toBe(0);
    expect(await ada.notifications.unreadCount()).toBe(0);
    unsubscribe();
  });

  it('useUnreadCount and useNotifications render the shared feed; a null user renders an idle one', async () => {
    await completeJobOf('ada');
    const store = notificationStoreFor(ada, 'ada');
    const stop = store.subscribe(() => {});
    await waitFor('two unread published', () => store.getSnapshot().unread === 2);
    const html = renderToString(createElement(HeadwayProvider, { client: ada }, createElement(Bell, { userId: 'ada' }), createElement(Bell, { userId: null })));
    expect(html).toContain('unread 2; job.completed,job.started,job.completed,job.started');
    expect(html).toContain('unread ?; ');
    stop();
  });

  it('the admin key follows a named user, with its count', async () => {
    await completeJobOf('bo');
    const store = notificationStoreFor(live.admin, 'bo');
    const stop = store.subscribe(() => {});
    await waitFor('bo feed loaded', () => store.getSnapshot().items.length === 2 && store.getSnapshot().unread === 2);
    stop();
  });
});
