import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientMessage, ServerMessage } from '@headway/protocol';
import { createClient, HeadwayError, type HeadwayClient } from '../../src/index.js';
import { makeJob, transition } from '../support/jobs.js';
import { waitFor } from '../support/wait.js';
import { WatchRecorder } from '../support/watch-recorder.js';

/**
 * A scripted peer on a real socket: it speaks the stream protocol exactly as the test says,
 * for the cases a real server only produces under load (resync) or misconfiguration.
 */
describe('live hub against a scripted stream peer', () => {
  let wss: WebSocketServer;
  let url: string;
  const received: ClientMessage[] = [];
  const sockets: WebSocket[] = [];
  const upgradeAuth: Array<string | undefined> = [];
  let client: HeadwayClient;

  beforeEach(async () => {
    received.length = 0;
    sockets.length = 0;
    upgradeAuth.length = 0;
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/v1/stream' });
    await new Promise((resolve) => wss.once('listening', resolve));
    url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (socket, request) => {
      sockets.push(socket);
      upgradeAuth.push(request.headers.authorization);
      socket.on('message', (data) => received.push(JSON.parse(String(data)) as ClientMessage));
    });
    client = createClient({ url, token: 'k', reconnect: { baseMs: 20, maxMs: 100 }, transports: ['websocket'] });
  });
  afterEach(async () => {
    client.close();
    for (const socket of sockets) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });

  const send = (message: ServerMessage, socket = sockets.at(-1)!) => socket.send(JSON.stringify(message));

  it('multiplexes channels over one socket and resubscribes each from its own resume point', async () => {
    const a = new WatchRecorder(client, 'a');
    const all = new WatchRecorder(client, 'jobs');
    await waitFor('two subscriptions', () => received.length === 2);
    expect(sockets).toHaveLength(1);
    // Node 20 has no global WebSocket: the `ws` package is loaded and sends the token as a header.
    expect(upgradeAuth.at(-1)).toBe('Bearer k');
    expect(received).toEqual([
      { type: 'subscribe', channel: 'job:a' },
      { type: 'subscribe', channel: 'jobs' },
    ]);
    send({ type: 'snapshot', channel: 'job:a', jobs: [makeJob({ id: 'a', seq: 2 })], seq: 2 });
    send({ type: 'snapshot', channel: 'jobs', jobs: [makeJob({ id: 'a', seq: 2 })], seq: 500 });
    send({ type: 'event', channel: 'job:a', jobId: 'a', seq: 3, event: transition('a', 3, 'running', 'paused') });
    send({ type: 'event', channel: 'jobs', jobId: 'a', seq: 3, cursor: 510, event: transition('a', 3, 'running', 'paused', 510) });
    await waitFor('both channels updated', () => a.events.length === 1 && all.events.length === 1);

    sockets[0]!.terminate();
    await waitFor('the resubscriptions', () => received.length === 4);
    expect(sockets).toHaveLength(2);
    expect(received.slice(2)).toEqual([
      { type: 'subscribe', channel: 'job:a', after: 3 },
      { type: 'subscribe', channel: 'jobs', after: 510 },
    ]);
  });

  it('a resync replaces the local state and tells the watcher', async () => {
    const recorder = new WatchRecorder(client, 'jobs');
    await waitFor('the subscription', () => received.length === 1);
    send({ type: 'snapshot', channel: 'jobs', jobs: [makeJob({ id: 'a' }), makeJob({ id: 'b' })], seq: 10 });
    send({ type: 'resync', channel: 'jobs', jobs: [makeJob({ id: 'c', status: 'completed' })], seq: 99, reason: 'consumer too far behind' });
    await waitFor('the resync', () => recorder.latest?.cause === 'resync');
    expect(recorder.latest?.jobs.map((j) => j.id)).toEqual(['c']);
  });

  it('a channel error ends only that watch; a 4401 close ends every watch without retrying', async () => {
    const missing = new WatchRecorder(client, 'missing');
    const other = new WatchRecorder(client, 'other');
    await waitFor('two subscriptions', () => received.length === 2);
    send({ type: 'error', channel: 'job:missing', code: 'JOB_NOT_FOUND', message: 'job missing does not exist' });
    await waitFor('the channel error', () => missing.errors.length === 1);
    expect((missing.errors[0] as HeadwayError).code).toBe('JOB_NOT_FOUND');
    expect(other.errors).toEqual([]);

    sockets[0]!.close(4401, 'token expired');
    await waitFor('the auth error', () => other.errors.length === 1);
    expect(other.errors[0]).toMatchObject({ code: 'UNAUTHORIZED', message: 'token expired' });
    expect(client.connection.get().status).toBe('closed');
    expect(sockets).toHaveLength(1);
  });

  it('connection state goes connecting → open → reconnecting (with a retry time) → open', async () => {
    const statuses: string[] = [];
    client.connection.subscribe((state) => statuses.push(`${state.status}${state.retryAt ? '+retryAt' : ''}`));
    new WatchRecorder(client, 'a');
    await waitFor('open', () => client.connection.get().status === 'open');
    sockets[0]!.terminate();
    await waitFor('open again', () => sockets.length === 2 && client.connection.get().status === 'open');
    expect(statuses[0]).toBe('connecting');
    expect(statuses).toContain('open');
    expect(statuses).toContain('reconnecting+retryAt');
    expect(statuses.at(-1)).toBe('open');
  });

  it('unsubscribing before the socket opens closes it quietly and leaves the state closed', async () => {
    const stop = client.watch('early', () => {});
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    expect(client.connection.get().status).toBe('closed');
    // A later watch connects afresh and works.
    const recorder = new WatchRecorder(client, 'later');
    await waitFor('the later subscription', () => received.some((m) => m.type === 'subscribe' && m.channel === 'job:later'));
    send({ type: 'snapshot', channel: 'job:later', jobs: [makeJob({ id: 'later' })], seq: 1 });
    await waitFor('the later snapshot', () => recorder.latest?.job?.id === 'later');
  });
});
