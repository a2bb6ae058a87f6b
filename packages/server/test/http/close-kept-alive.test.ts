import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createKey } from './fixtures.js';

let server: TestServer | undefined;
const agent = new Agent({ keepAlive: true });
afterEach(async () => {
  agent.destroy();
  await server?.close();
  server = undefined;
});

/** GET on a kept-alive connection; resolves with the status once the body is read. */
function get(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('closing the server while a request is in flight', () => {
  it('answers the request, and close resolves although its kept-alive connection goes idle only after close began', async () => {
    server = await startTestServer();
    const { key } = await createKey(server, ['jobs:read']);
    // The store answers the API key lookup when the test says so, as a slow database would.
    let arrived!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const { keys } = server.headway.store;
    const findByHash = keys.findByHash.bind(keys);
    Object.assign(keys, {
      findByHash: async (hash: string) => {
        arrived();
        await released;
        return findByHash(hash);
      },
    });

    const answered = get(`${server.url}/v1/jobs`, key);
    await reached;
    const closed = server.app.close();
    await eventually(() => !server!.app.server.listening, 5_000, 'the server to stop listening');
    release();
    expect(await answered).toBe(200);
    // Without the fix the connection stays open for Fastify's 72 s keep-alive timeout.
    await closed;
  }, 10_000);
});
