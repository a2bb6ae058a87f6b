import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
