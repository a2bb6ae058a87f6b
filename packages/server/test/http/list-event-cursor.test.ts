import type { Job, JobEvent } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSubscriber } from '../stream/ws-client.js';

type Page = { items: Job[]; nextCursor: string | null; eventCursor: number };

/** What a client that polled the job list needs to move to a stream without replaying history. */
describe('the job list’s eventCursor', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const post = async (path: string, body: unknown = {}) => {
    const res = await server.request<Job>('POST', path, { body });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  const list = async (query: string) => (await server.request<Page>('GET', `/v1/jobs?${query}`)).body;
  const eventsOf = async (id: string) => (await server.request<{ items: JobEvent[] }>('GET', `/v1/jobs/${id}/events`)).body.items;

  it('covers every event of the jobs listed, and a stream subscribed after it gets exactly the events that followed, in order', async () => {
    const a = await post('/v1/jobs', { type: 'cursor', owner: 'ivy' });
    await post(`/v1/jobs/${a.id}/start`);
    const page = await list('owner=ivy&sort=-updatedAt');
    expect(page.eventCursor).toEqual(expect.any(Number));
    const listed = page.items.find((job) => job.id === a.id)!;
    const before = await eventsOf(a.id);
    expect(listed.seq).toBe(before.at(-1)!.seq);
    expect(before.every((event) => event.cursor! <= page.eventCursor)).toBe(true);

    const b = await post('/v1/jobs', { type: 'cursor', owner: 'ivy' });
    await post(`/v1/jobs/${a.id}/complete`);
    await post('/v1/jobs', { type: 'cursor', owner: 'someone-else' });
    for (const channel of ['jobs', 'user:ivy'] as const) {
      const subscriber = await openSubscriber(server.url, server.adminKey);
      subscriber.send({ type: 'subscribe', channel, after: page.eventCursor });
      await subscriber.next('snapshot');
      const replayed = subscriber.messages.flatMap((m) => (m.type === 'event' ? [`${m.jobId === a.id ? 'a' : m.jobId === b.id ? 'b' : 'other'}#${m.seq} ${m.event.kind}`] : []));
      expect(replayed, channel).toEqual(channel === 'jobs' ? ['b#1 created', 'a#3 transition', 'other#1 created'] : ['b#1 created', 'a#3 transition']);
      subscriber.ws.close();
    }
  });

  it('moves with every event, on filtered lists too', async () => {
    const first = (await list('limit=1')).eventCursor;
    const job = await post('/v1/jobs', { type: 'cursor-moves' });
    const afterCreate = (await list('type=nothing-matches')).eventCursor;
    expect(afterCreate).toBeGreaterThan(first);
    await post(`/v1/jobs/${job.id}/start`);
    expect((await list('limit=1')).eventCursor).toBeGreaterThan(afterCreate);
  });
});
