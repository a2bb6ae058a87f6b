import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HeadwayError } from '@headway/protocol';
import { createClient, HeadwayNetworkError } from '../../src/index.js';
import { startRecordingServer } from '../support/recording-server.js';

describe('REST errors become typed errors', () => {
  let server: Awaited<ReturnType<typeof startRecordingServer>>;
  beforeAll(async () => {
    server = await startRecordingServer((request) => {
      if (request.path.endsWith('/complete')) return { status: 409, body: { error: { code: 'ILLEGAL_TRANSITION', message: 'job x is paused', details: { status: 'paused' } } } };
      if (request.path.endsWith('/proxy')) return { status: 502, body: undefined };
      return undefined;
    });
  });
  afterAll(() => server.close());

  it('an error answer becomes a HeadwayError with the server code, message and details', async () => {
    const client = createClient({ url: server.url, token: 't' });
    const error = await client.complete('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeadwayError);
    expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: 'job x is paused', details: { status: 'paused' }, status: 409 });
  });

  it('an answer that is not ours still maps to a code by HTTP status', async () => {
    const client = createClient({ url: `${server.url}/`, token: 't' });
    const error = await client.getJob('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('no answer at all is a HeadwayNetworkError, not a HeadwayError', async () => {
    const closed = await startRecordingServer();
    await closed.close();
    const client = createClient({ url: closed.url, token: 't' });
    const error = await client.getJob('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeadwayNetworkError);
    expect(error).not.toBeInstanceOf(HeadwayError);
    expect((error as Error).message).toContain(closed.url);
  });

  describe('a create (it carries an Idempotency-Key) is sent again while the answer says "not now"', () => {
    /** Servers started by the running test, closed after it. */
    const started: Array<{ close: () => Promise<void> }> = [];
    afterEach(async () => {
      for (const each of started.splice(0)) await each.close();
    });
    const recording = async (answer: Parameters<typeof startRecordingServer>[0]) => {
      const recorder = await startRecordingServer(answer);
      started.push(recorder);
      return recorder;
    };

    it('503 from a starting node, 502 and 504 from a proxy: sent again with the same key until it is created', async () => {
      const statuses = [503, 502, 504];
      const refusing = await recording((request) => {
        const status = statuses.shift();
        if (status) return { status, body: status === 503 ? { error: { code: 'NOT_READY', message: 'starting' } } : undefined };
        return { status: 201, body: { id: 'created', type: (request.body as { type: string }).type } };
      });
      const client = createClient({ url: refusing.url, token: 't' });
      await expect(client.createJob({ type: 'import' })).resolves.toMatchObject({ id: 'created' });
      const keys = refusing.requests.map((request) => request.headers['idempotency-key']);
      expect(keys).toHaveLength(4);
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toBeTruthy();
    });

    it('an answer that refuses the request (409, 400) is not sent again', async () => {
      const conflicting = await recording(() => ({ status: 409, body: { error: { code: 'CONFLICT', message: 'this Idempotency-Key was sent before with another body' } } }));
      const client = createClient({ url: conflicting.url, token: 't' });
      await expect(client.createJob({ type: 'import' }, { idempotencyKey: 'order-1' })).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
      expect(conflicting.requests).toHaveLength(1);
      expect(conflicting.requests[0]!.headers['idempotency-key']).toBe('order-1');
    });

    it('503 for every send: the last answer is thrown, after five sends', async () => {
      const starting = await recording(() => ({ status: 503, body: { error: { code: 'NOT_READY', message: 'the store is away' } } }));
      const client = createClient({ url: starting.url, token: 't' });
      await expect(client.createJob({ type: 'import' })).rejects.toMatchObject({ code: 'NOT_READY', status: 503 });
      expect(starting.requests).toHaveLength(5);
    });

    it('a connection lost in the middle of the answer is no answer: the create is sent again', async () => {
      let sends = 0;
      const cutting: Server = createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          if (++sends === 1) {
            response.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' });
            response.write('{"id":"cr');
            setTimeout(() => request.socket.destroy(), 20);
            return;
          }
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"created"}');
        });
      });
      await new Promise<void>((resolve) => cutting.listen(0, '127.0.0.1', resolve));
      try {
        const client = createClient({ url: `http://127.0.0.1:${(cutting.address() as AddressInfo).port}`, token: 't' });
        await expect(client.createJob({ type: 'import' })).resolves.toMatchObject({ id: 'created' });
        expect(sends).toBe(2);
      } finally {
        await new Promise((resolve) => cutting.close(resolve));
      }
    });
  });

  describe('a request whose connection is closed before any answer (a server that restarted)', () => {
    /** Drops the connection of the first request it reads without answering, then answers each with 200 `{}`. */
    async function startDroppingServer(): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
      const requests: string[] = [];
      const server: Server = createServer((request, response) => {
        requests.push(`${request.method} ${request.url}`);
        if (requests.length === 1) return void request.socket.destroy();
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x"}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
    }

    it('a read is sent once more on a new connection and answers', async () => {
      const dropping = await startDroppingServer();
      try {
        const client = createClient({ url: dropping.url, token: 't' });
        await expect(client.getJob('x')).resolves.toMatchObject({ id: 'x' });
        expect(dropping.requests).toEqual(['GET /v1/jobs/x', 'GET /v1/jobs/x']);
      } finally {
        await dropping.close();
      }
    });

    it('an action is not sent again (it may have been applied): the caller gets a HeadwayNetworkError', async () => {
      const dropping = await startDroppingServer();
      try {
        const client = createClient({ url: dropping.url, token: 't' });
        await expect(client.pause('x')).rejects.toBeInstanceOf(HeadwayNetworkError);
        expect(dropping.requests).toEqual(['POST /v1/jobs/x/pause']);
      } finally {
        await dropping.close();
      }
    });
  });
});
