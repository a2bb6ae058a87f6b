import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../http/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSubscriber } from './ws-client.js';

/**
 * A client message fits 5,000 levels of nesting in its 16 KB; the "unknown channel" error echoed such a
 * channel with JSON.stringify, which overflowed the stack and answered INTERNAL.
 */
describe('WebSocket message nesting', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('a message nested deeper than 64 levels is a VALIDATION_FAILED error, and the connection goes on', async () => {
    const job = await createJob(server, { type: 'deep.socket' });
    const subscriber = await openSubscriber(server.url, server.adminKey);
    try {
      subscriber.ws.send(`{"type":"subscribe","channel":${'['.repeat(5_000)}${']'.repeat(5_000)}}`);
      expect(await subscriber.next('error')).toEqual({
        type: 'error',
        code: 'VALIDATION_FAILED',
        message: 'the message nests objects and arrays more than 64 levels deep (under message field "channel"); flatten it, or send the deep part as a JSON string',
      });
      subscriber.send({ type: 'subscribe', channel: `job:${job.id}` });
      expect((await subscriber.next('snapshot')).jobs[0]!.id).toBe(job.id);
      expect(subscriber.messages.map((m) => m.type)).toEqual(['error', 'snapshot']);
    } finally {
      subscriber.ws.close();
    }
  });
});
