import { createClient } from '@headway/client';
import type { ServerMessage } from '@headway/protocol';
import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_RECHECK_MS } from '../../src/http/auth/api-key-lookup.js';
import { SYSTEM } from '../../src/service/actor.js';
import { createKey } from '../http/fixtures.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSubscriber } from './ws-client.js';

/** A stream following `jobs`, whichever the transport. */
interface LiveStream {
  /** Waits until the stream delivered an event of this job. */
  sees(jobId: string): Promise<void>;
  /** How the server ended the stream, once it has; `how` is transport-specific. */
  end(): { how: string; message: string } | undefined;
  stop(): void;
}

/** The way each transport says "your token no longer holds". */
const UNAUTHORIZED_END = { websocket: 'close 4401', sse: 'event: error {"type":"error","channel":"jobs","code":"UNAUTHORIZED"}' };
type TransportName = keyof typeof UNAUTHORIZED_END;

async function openWebSocket(url: string, token: string): Promise<LiveStream> {
  const sub = await openSubscriber(url, token);
  let end: { how: string; message: string } | undefined;
  void sub.closed.then(({ code, reason }) => (end = { how: `close ${code}`, message: reason }));
  sub.send({ type: 'subscribe', channel: 'jobs' });
  await sub.next('snapshot');
  return { sees: async (jobId) => void (await sub.next('event', (m) => m.jobId === jobId)), end: () => end, stop: () => sub.ws.close() };
}

/** Reads the stream as text: the final frame's `event:` line is under test here, and sse-client.ts drops it. */
async function openSse(url: string, token: string): Promise<LiveStream> {
  const request = get(`${url}/v1/stream/sse?channel=jobs`, { headers: { authorization: `Bearer ${token}` }, agent: false });
  const response = await new Promise<IncomingMessage>((resolve, reject) => request.once('response', resolve).once('error', reject));
  expect(response.statusCode).toBe(200);
  let text = '';
  let end: { how: string; message: string } | undefined;
  response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  response.on('error', () => undefined); // ends with stop()
  response.once('end', () => (end = finalFrameOf(text)));
  const messages = () => text.split('\n\n').flatMap((frame) => frame.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as ServerMessage));
  await eventually(() => messages().some((m) => m.type === 'snapshot'), 20_000, 'the SSE snapshot');
  return {
    sees: async (jobId) => void (await eventually(() => messages().some((m) => m.type === 'event' && m.jobId === jobId), 20_000, `an SSE event of ${jobId}`)),
    end: () => end,
    stop: () => request.destroy(),
  };
}

function finalFrameOf(text: string): { how: string; message: string } {
  const last = text.split('\n\n').filter((frame) => frame.trim() !== '').at(-1) ?? '';
  const event = /^event: (.*)$/m.exec(last)?.[1];
  const { message, ...rest } = JSON.parse(/^data: (.*)$/m.exec(last)?.[1] ?? '{}') as { message?: string };
  return { how: `event: ${event} ${JSON.stringify(rest)}`, message: message ?? '' };
}

const open: Record<TransportName, (url: string, token: string) => Promise<LiveStream>> = { websocket: openWebSocket, sse: openSse };
const TRANSPORTS = Object.keys(open) as TransportName[];

/** Generous: the checks run every KEY_SWEEP_MS (250 ms); this only bounds a hung test. */
const END_TIMEOUT_MS = 5_000;
const endOf = (stream: LiveStream) => eventually(() => stream.end(), END_TIMEOUT_MS, 'the server to end the stream');

describe.each(TRANSPORTS)('a %s stream opened with an API key', (transport) => {
  let server: TestServer;
  // Frozen unless a test moves it: a key's remembered check never expires on its own here.
  let at = Date.UTC(2024, 0, 1);
  beforeAll(async () => {
    server = await startTestServer({ headway: { now: () => at } });
  });
  afterAll(() => server.close());

  async function streamingWith(scopes: string[]) {
    const key = await createKey(server, scopes);
    const stream = await open[transport](server.url, key.key);
    const before = await server.headway.jobs.create({ type: 'before' }, SYSTEM);
    await stream.sees(before.id);
    return { key, stream };
  }

  it('ends at once when the key is revoked through the API, saying so', async () => {
    const { key, stream } = await streamingWith(['jobs:read']);
    expect((await server.request('DELETE', `/v1/keys/${key.id}`)).status).toBe(200);
    // The clock stands still, so only the revocation through this node can have ended it.
    expect(await endOf(stream)).toEqual({ how: UNAUTHORIZED_END[transport], message: expect.stringContaining(`API key ${key.id} was revoked`) });
  });

  it('ends within KEY_RECHECK_MS when the key is revoked in the store, as the CLI or another node does', async () => {
    const { key, stream } = await streamingWith(['jobs:read']);
    expect(await server.headway.store.keys.revoke(key.id, at)).toBe(true);
    // Until its check is due the key still holds, for streams as for REST requests.
    const meanwhile = await server.headway.jobs.create({ type: 'meanwhile' }, SYSTEM);
    await stream.sees(meanwhile.id);
    expect(stream.end()).toBeUndefined();
    at += KEY_RECHECK_MS;
    expect(await endOf(stream)).toEqual({ how: UNAUTHORIZED_END[transport], message: expect.stringContaining(`API key ${key.id} was revoked`) });
  });

  it('goes on while its key holds, and another key revoked does not end it', async () => {
    const { stream } = await streamingWith(['jobs:read']);
    const other = await createKey(server, ['jobs:read']);
    expect((await server.request('DELETE', `/v1/keys/${other.id}`)).status).toBe(200);
    at += KEY_RECHECK_MS;
    const later = await server.headway.jobs.create({ type: 'later' }, SYSTEM);
    await stream.sees(later.id);
    expect(stream.end()).toBeUndefined();
    stream.stop();
  });
});

describe.each(TRANSPORTS)('a %s stream opened with a user token', (transport) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('ends when the token expires, not before', async () => {
    const minted = await server.request<{ token: string; expiresAt: number }>('POST', '/v1/tokens', { body: { sub: 'alice', ttlSeconds: 3 } });
    const stream = await open[transport](server.url, minted.body.token);
    const mine = await server.headway.jobs.create({ type: 'mine', owner: 'alice' }, SYSTEM);
    await stream.sees(mine.id);
    const end = await eventually(() => stream.end(), minted.body.expiresAt - Date.now() + END_TIMEOUT_MS, 'the server to end the stream');
    expect(Date.now()).toBeGreaterThanOrEqual(minted.body.expiresAt);
    expect(end).toEqual({ how: UNAUTHORIZED_END[transport], message: expect.stringContaining('user token expired') });
  });
});

describe.each(TRANSPORTS)('the client SDK over %s', (transport) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('ends a watch with UNAUTHORIZED when its key is revoked, and does not reconnect', async () => {
    const key = await createKey(server, ['jobs:read']);
    const client = createClient({ url: server.url, token: key.key, transports: [transport], reconnect: { baseMs: 10, maxMs: 10 } });
    const errors: Error[] = [];
    let updates = 0;
    client.watch('jobs', () => updates++, { onError: (error) => errors.push(error) });
    await eventually(() => updates > 0, 20_000, 'the first update');
    expect((await server.request('DELETE', `/v1/keys/${key.id}`)).status).toBe(200);
    await eventually(() => errors.length > 0, END_TIMEOUT_MS, 'the watch to fail');
    expect(errors).toEqual([expect.objectContaining({ code: 'UNAUTHORIZED', message: expect.stringContaining(`API key ${key.id} was revoked`) })]);
    expect(client.connection.get()).toMatchObject({ status: 'closed', retryAt: null }); // no retry scheduled
    client.close();
  });
});
