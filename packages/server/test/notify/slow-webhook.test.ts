import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { putPreferences, runJob, startNotifyServer } from './support/notify-server.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Listed {
  items: Array<{ id: string; channel: string; status: string }>;
}

/** A webhook endpoint that takes every request and answers none until `release()`. */
class HangingEndpoint {
  readonly held: ServerResponse[] = [];
  /** Requests taken so far. */
  received = 0;
  url = '';
  private server: Server | null = null;

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      request.resume();
      this.received++;
      this.held.push(response);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  release(): void {
    for (const response of this.held.splice(0)) response.writeHead(200).end();
  }

  async stop(): Promise<void> {
    this.release();
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('a slow webhook endpoint', () => {
  let server: TestServer | undefined;
  let endpoint: HangingEndpoint | undefined;

  afterEach(async () => {
    endpoint?.release();
    await server?.close();
    server = undefined;
    await endpoint?.stop();
    endpoint = undefined;
  });

  it("holds only its channel's slots: an in-app notification goes out while webhook sends hang", async () => {
    endpoint = await new HangingEndpoint().start();
    // A timeout far beyond the test: only the fix lets the in-app notification through.
    server = await startNotifyServer({ notify: { webhookTimeoutMs: 120_000, channelConcurrency: 2, webhookAllowedNetworks: ['private', 'loopback'] } as never });
    await putPreferences(server, 'ada', { contacts: { webhook: { url: endpoint.url, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true, in_app: false } } } });
    for (let i = 0; i < 4; i++) await runJob(server, 'ada', 'completed', { title: `Export ${i}` });
    await eventually(() => endpoint!.held.length >= 2, 15_000, 'two webhook sends in flight');

    await runJob(server, 'bob', 'completed', { title: 'Quarterly report' });
    const inApp = await eventually(async () => (await server!.request<Listed>('GET', '/v1/notifications?user=bob&channel=in_app&status=sent')).body.items[0], 5_000, "bob's in-app notification sent");
    expect(inApp.channel).toBe('in_app');
    // The webhook channel never had more than its two slots in flight, and they still hang.
    expect(endpoint.held).toHaveLength(2);
    const webhooks = (await server.request<Listed>('GET', '/v1/notifications?user=ada&channel=webhook')).body.items;
    expect(webhooks).toHaveLength(4);
    expect(webhooks.every((w) => w.status !== 'sent')).toBe(true);

    // Once the endpoint answers, every webhook goes out (the waiting ones take the freed slots).
    endpoint.release();
    await eventually(async () => {
      endpoint!.release();
      return (await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=webhook&status=sent')).body.items.length === 4;
    }, 15_000, 'all four webhooks sent');
  });

  it('a notification that waited for a slot reads the preferences again: a job muted meanwhile is skipped', async () => {
    endpoint = await new HangingEndpoint().start();
    // One webhook slot: the second notification is claimed with Ada's preferences and waits for it.
    server = await startNotifyServer({ notify: { webhookTimeoutMs: 120_000, channelConcurrency: 1, webhookAllowedNetworks: ['private', 'loopback'] } as never });
    await putPreferences(server, 'ada', { contacts: { webhook: { url: endpoint.url, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true, in_app: false } } } });
    const first = await runJob(server, 'ada', 'completed', { title: 'Export 1' });
    await eventually(() => endpoint!.held.length === 1, 15_000, 'the first webhook in flight');
    const second = await runJob(server, 'ada', 'completed', { title: 'Export 2' });
    const waiting = await eventually(async () => {
      const items = (await server!.request<Listed & { items: Array<{ jobId: string }> }>('GET', `/v1/notifications?user=ada&channel=webhook&jobId=${second.id}`)).body.items;
      return items[0]?.status === 'sending' ? items[0] : null;
    }, 15_000, 'the second claimed and waiting for the slot');
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // older than preferences read with a claim are trusted
    expect((await server.request('PUT', `/v1/users/ada/muted-jobs/${second.id}`)).status).toBe(200);

    endpoint.release();
    const skipped = await eventually(async () => {
      const item = (await server!.request<{ items: Array<{ id: string; status: string; lastError: string | null }> }>('GET', `/v1/notifications?user=ada&channel=webhook&jobId=${second.id}`)).body.items[0];
      return item?.status === 'skipped' ? item : null;
    }, 15_000, 'the waiting one skipped');
    expect(skipped).toMatchObject({ id: waiting.id, lastError: `skipped: ada muted job ${second.id}` });
    expect(endpoint.received).toBe(1); // only the first reached the endpoint
    const sent = (await server.request<Listed>('GET', `/v1/notifications?user=ada&channel=webhook&jobId=${first.id}&status=sent`)).body.items;
    expect(sent).toHaveLength(1);
  });
});
