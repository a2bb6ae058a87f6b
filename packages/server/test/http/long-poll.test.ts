import type { Job } from '@headway/protocol';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus, BusMessage } from '../../src/bus/bus.js';
import { LocalBus } from '../../src/bus/local-bus.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createJob, type ErrorAnswer } from './fixtures.js';

/** The real in-process bus, counting its listeners: a parked long-poll holds exactly one. */
class ListenerCountingBus implements Bus {
  listeners = 0;
  private readonly inner = new LocalBus((error) => {
    throw error;
  });

  publish(message: BusMessage): void {
    this.inner.publish(message);
  }

  subscribe(listener: (message: BusMessage) => void): () => void {
    const unsubscribe = this.inner.subscribe(listener);
    this.listeners++;
    let subscribed = true;
    return () => {
      if (subscribed) this.listeners--;
      subscribed = false;
      unsubscribe();
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A long-poll over a raw socket, so the test can hang up mid-request the way a client that dies does. */
function parkLongPoll(server: TestServer, job: Job): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(
        `GET /v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=30000 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.adminKey}\r\n\r\n`,
      );
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

describe('long-poll GET /v1/jobs/:id?waitForChangeAfter', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers as soon as the job changes after the given seq', async () => {
    const job = await createJob(server);
    let answered = false;
    const waiting = server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=20000`).then((res) => {
      answered = true;
      return res;
    });
    // The request is parked: a plain read in between comes back while the long-poll still waits.
    await server.request('GET', `/v1/jobs/${job.id}`);
    expect(answered).toBe(false);
    const started = Date.now();
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('running');
    expect(res.body.seq).toBeGreaterThan(job.seq);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers progress changes too (seq unchanged, newer state)', async () => {
    const job = await createJob(server, { total: 50 });
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    const current = (await server.request<Job>('GET', `/v1/jobs/${job.id}`)).body;
    const waiting = server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${current.seq}&timeoutMs=20000`);
    await server.request('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 25 } });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.updatedAt).toBeGreaterThanOrEqual(current.updatedAt);
  });

  it('answers at once when the job is already past the seq', async () => {
    const job = await createJob(server);
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    const started = Date.now();
    const res = await server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=20000`);
    expect(res.body.status).toBe('running');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers at once when the given seq is ahead of the job (the client must resync), and refuses timeoutMs alone', async () => {
    const job = await createJob(server);
    const res = await server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq + 5}&timeoutMs=30000`);
    expect(res.status).toBe(200);
    expect(res.body.seq).toBe(job.seq);
    const alone = await server.request<ErrorAnswer>('GET', `/v1/jobs/${job.id}?timeoutMs=1000`);
    expect(alone.status).toBe(400);
    expect(alone.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('add waitForChangeAfter') });
  });

  it('answers with the unchanged job at the timeout', async () => {
    const job = await createJob(server);
    const started = Date.now();
    const res = await server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=300`);
    expect(res.status).toBe(200);
    expect(res.body.seq).toBe(job.seq);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('a timeout above 30 s is refused', async () => {
    const job = await createJob(server);
    const res = await server.request<ErrorAnswer>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=0&timeoutMs=60000`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/"timeoutMs"/);
  });
});

describe('long-poll when the client goes away', () => {
  const bus = new ListenerCountingBus();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ headway: { bus } });
  });
  afterAll(() => server.close());

  it('a client that hangs up mid-wait releases its bus listener at once, not at the 30 s timeout', async () => {
    const job = await createJob(server);
    const before = bus.listeners;
    const socket = await parkLongPoll(server, job);
    await eventually(() => bus.listeners === before + 1, 5_000, 'the long-poll to park on the bus');
    const hungUpAt = Date.now();
    socket.destroy();
    await eventually(() => bus.listeners === before, 5_000, 'the listener to be removed after the hang-up');
    expect(Date.now() - hungUpAt).toBeLessThan(5_000); // the wait was for 30 s
    // The server is still fine and the job still answers.
    expect((await server.request<Job>('GET', `/v1/jobs/${job.id}`)).body.id).toBe(job.id);
  });

  it('a hundred clients that hang up leave no listener behind', async () => {
    const job = await createJob(server);
    const before = bus.listeners;
    const sockets = await Promise.all(Array.from({ length: 100 }, () => parkLongPoll(server, job)));
    await eventually(() => bus.listeners === before + 100, 10_000, '100 parked long-polls');
    for (const socket of sockets) socket.destroy();
    await eventually(() => bus.listeners === before, 5_000, 'every listener to be removed');
  });

  it('an answered long-poll (a change, or the timeout) leaves no listener behind either', async () => {
    const job = await createJob(server);
    const before = bus.listeners;
    const changed = server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=20000`);
    await eventually(() => bus.listeners === before + 1, 5_000, 'the long-poll to park on the bus');
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    expect((await changed).body.status).toBe('running');
    expect(bus.listeners).toBe(before);
    const timedOut = await server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq + 100}&timeoutMs=200`);
    expect(timedOut.status).toBe(200);
    expect(bus.listeners).toBe(before);
  });
});

describe('long-poll when the node stops', () => {
  const bus = new ListenerCountingBus();

  it('a parked long-poll is answered at once with the job as it is, so stopping does not wait out its timeout', async () => {
    const server = await startTestServer({ headway: { bus } });
    try {
      const job = await createJob(server);
      const before = bus.listeners;
      const waiting = server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=30000`);
      await eventually(() => bus.listeners === before + 1, 5_000, 'the long-poll to park on the bus');
      const stoppingAt = Date.now();
      await server.stop();
      const res = await waiting;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: job.id, seq: job.seq, status: 'queued' });
      expect(Date.now() - stoppingAt).toBeLessThan(10_000); // the wait was for 30 s
    } finally {
      await server.close();
    }
  }, 20_000);
});
