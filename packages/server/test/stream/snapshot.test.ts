import { ChannelState, type WatchUpdate } from '@headway/client';
import type { Channel, ServerMessage } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagesOf, snapshotOf } from '../../src/http/stream/catch-up.js';
import { authorizeChannel } from '../../src/http/stream/channel-access.js';
import { DEFAULT_STREAM_OPTIONS } from '../../src/http/stream/options.js';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSubscriber } from './ws-client.js';

type StatePage = Extract<ServerMessage, { type: 'snapshot' | 'resync' }>;
const PAGE = DEFAULT_STREAM_OPTIONS.snapshotPageSize;

/** Subscribes and collects the snapshot's pages up to the one without `more`. */
async function snapshotPages(server: TestServer, channel: Channel, token = server.adminKey): Promise<StatePage[]> {
  const sub = await openSubscriber(server.url, token);
  sub.send({ type: 'subscribe', channel });
  const last = await sub.next('snapshot', (m) => !m.more);
  const pages = sub.messages.filter((m): m is StatePage => m.type === 'snapshot' || m.type === 'resync');
  expect(pages[pages.length - 1]).toBe(last);
  sub.ws.close();
  return pages;
}

describe('snapshots of many-job channels', () => {
  let server: TestServer;
  const active = { all: new Set<string>(), alice: new Set<string>() };
  const finished: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    // 1,202 unfinished jobs (two batches, 1,200 children, 20 of them running), 701 of them alice's.
    const batch = await jobs.create({ type: 'batch', children: Array.from({ length: 500 }, (_, i) => ({ type: 'item', title: `item ${i}` })) }, SYSTEM);
    const aliceBatch = await jobs.create({ type: 'batch', owner: 'alice', children: Array.from({ length: 700 }, () => ({ type: 'item' })) }, SYSTEM);
    const listed = await jobs.list({ status: 'queued', limit: 500 }, SYSTEM);
    for (const job of listed.items.slice(0, 20)) await jobs.act(job.id, 'start', {}, SYSTEM);
    for (let i = 0; i < 3; i++) {
      const done = await jobs.create({ type: 'quick', owner: 'alice' }, SYSTEM);
      await jobs.act(done.id, 'start', {}, SYSTEM);
      await jobs.act(done.id, 'complete', {}, SYSTEM);
      finished.push(done.id);
    }
    for (const parentId of [batch.id, aliceBatch.id]) {
      active.all.add(parentId);
      let cursor: string | undefined;
      do {
        const page = await jobs.list({ parentId, limit: 500, cursor }, SYSTEM);
        for (const child of page.items) active.all.add(child.id);
        if (parentId === aliceBatch.id) for (const child of page.items) active.alice.add(child.id);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    active.alice.add(aliceBatch.id);
    expect(active.all.size).toBe(1_202);
  }, 60_000);
  afterAll(() => server.close());

  it('a dashboard opened while more than 500 jobs are active receives every one of them, in pages of at most 500', async () => {
    const pages = await snapshotPages(server, 'jobs');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((page) => page.type === 'snapshot' && page.jobs.length <= PAGE && page.seq === pages[0]!.seq)).toBe(true);
    expect(pages.slice(0, -1).every((page) => page.more === true)).toBe(true);
    const ids = pages.flatMap((page) => page.jobs.map((job) => job.id));
    expect(new Set(ids).size).toBe(ids.length); // no job twice
    expect([...active.all].filter((id) => !ids.includes(id))).toEqual([]);
    expect(finished.every((id) => ids.includes(id))).toBe(true); // and the recently finished ones
  });

  it('a user channel and a user token on `jobs` get all of that user’s active jobs and nobody else’s', async () => {
    const token = (await server.request<{ token: string }>('POST', '/v1/tokens', { body: { sub: 'alice' } })).body.token;
    for (const [channel, viaToken] of [['user:alice', server.adminKey], ['jobs', token]] as const) {
      const ids = new Set((await snapshotPages(server, channel, viaToken)).flatMap((page) => page.jobs.map((job) => job.id)));
      expect([...active.alice].filter((id) => !ids.has(id))).toEqual([]);
      expect([...ids].filter((id) => !active.alice.has(id) && !finished.includes(id))).toEqual([]);
    }
  });

  it('the client SDK assembles the pages and publishes the channel once, complete', async () => {
    const state = new ChannelState('jobs');
    const published: WatchUpdate[] = [];
    for (const page of await snapshotPages(server, 'jobs')) {
      const update = state.apply(page);
      if (update) published.push(update);
    }
    expect(published).toHaveLength(1);
    expect(published[0]!.cause).toBe('snapshot');
    const ids = new Set(published[0]!.jobs.map((job) => job.id));
    expect([...active.all].every((id) => ids.has(id))).toBe(true);
    expect(state.resumeAfter).toBeGreaterThan(0);
  });

  it('live events after a paged snapshot still arrive (the subscription is live once the last page is out)', async () => {
    const sub = await openSubscriber(server.url, server.adminKey);
    sub.send({ type: 'subscribe', channel: 'jobs' });
    const last = await sub.next('snapshot', (m) => !m.more);
    const job = await server.headway.jobs.create({ type: 'after-snapshot' }, SYSTEM);
    const event = await sub.next('event', (m) => m.jobId === job.id);
    expect(event.cursor).toBeGreaterThan(last.seq);
    await eventually(() => sub.messages.indexOf(event) > sub.messages.indexOf(last));
    sub.ws.close();
  });

  it('a paged resync replaces the client state: the first page is the resync, the rest are snapshot pages', async () => {
    const access = await authorizeChannel(server.headway, SYSTEM, 'jobs');
    const pages = pagesOf('jobs', await snapshotOf(server.headway, access), PAGE, 'fell behind');
    expect(pages.map((page) => page.type)).toEqual(['resync', ...pages.slice(1).map(() => 'snapshot')]);
    const state = new ChannelState('jobs');
    state.apply({ type: 'snapshot', channel: 'jobs', jobs: [{ ...pages[0]!.jobs[0]!, id: 'gone-since' }], seq: 1 });
    const published = pages.map((page) => state.apply(page)).filter((update) => update !== null);
    expect(published).toHaveLength(1);
    expect(published[0]!.cause).toBe('resync');
    const ids = published[0]!.jobs.map((job) => job.id);
    expect(ids).not.toContain('gone-since');
    expect([...active.all].every((id) => ids.includes(id))).toBe(true);
  });
});
