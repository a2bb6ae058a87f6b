import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { withoutUrlCredentials, type OutgoingMessage } from '../../src/notify/channels/channel.js';
import { webhookChannel } from '../../src/notify/channels/webhook.js';
import { WebhookTargetPolicy } from '../../src/notify/channels/webhook-target.js';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { putPreferences, runJob, startNotifyServer } from './support/notify-server.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const INTERNAL_ANSWER = '{"error":"missing admin key","keys":["hw_live_internal_0123456789"]}';

interface Listed {
  items: Array<{ id: string; status: string; attempts: number; lastError: string | null }>;
}

/** An "internal service" on loopback answering 401 with a body worth stealing. */
class InternalService {
  readonly requests: IncomingHttpHeaders[] = [];
  port = 0;
  private server: Server | null = null;

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      this.requests.push(request.headers);
      request.resume();
      response.writeHead(401, 'Leaky reason hw_live_internal', { 'content-type': 'application/json' }).end(INTERNAL_ANSWER);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function messageTo(url: string): OutgoingMessage {
  return {
    id: 'n-1',
    userId: 'ada',
    type: 'job.completed',
    attempt: 1,
    rendered: { json: '{"type":"job.completed"}' } as OutgoingMessage['rendered'],
    contacts: { email: null, phone: null, webhook: { url, secret: SECRET, disabledAt: null } },
    view: {} as OutgoingMessage['view'],
  };
}

async function webhookRow(server: TestServer, user: string, check: (row: Listed['items'][number]) => boolean): Promise<Listed['items'][number]> {
  return eventually(async () => {
    const row = (await server.request<Listed>('GET', `/v1/notifications?user=${user}&channel=webhook`)).body.items[0];
    return row && check(row) ? row : null;
  });
}

describe('webhook targets (SSRF)', () => {
  let server: TestServer | undefined;
  let internal: InternalService | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await internal?.stop();
    internal = undefined;
  });

  it('a loopback target, by address or by a name resolving to it, is refused unless allowed, without calling it', async () => {
    internal = await new InternalService().start();
    server = await startNotifyServer({ notify: { webhookAllowedNetworks: ['private'] } as never });
    for (const [user, url] of [
      ['ada', `http://127.0.0.1:${internal.port}/v1/keys`],
      ['bob', `http://localhost:${internal.port}/v1/keys`],
    ] as const) {
      await putPreferences(server, user, { contacts: { webhook: { url, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true } } } });
      await runJob(server, user, 'completed');
      const dead = await webhookRow(server, user, (r) => r.status === 'dead');
      expect(dead.attempts).toBe(1);
      expect(dead.lastError).toMatch(/refused: it resolves to a loopback address.*HEADWAY_NOTIFY_WEBHOOK_ALLOWED_NETWORKS/);
    }
    expect(internal.requests).toHaveLength(0);
  });

  it('when the operator allows loopback, the answer body and reason text never reach lastError', async () => {
    internal = await new InternalService().start();
    server = await startNotifyServer({ notify: { webhookAllowedNetworks: ['loopback'] } as never });
    await putPreferences(server, 'ada', { contacts: { webhook: { url: `http://127.0.0.1:${internal.port}/v1/keys`, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true } } } });
    await runJob(server, 'ada', 'completed');
    const failed = await webhookRow(server, 'ada', (r) => r.attempts >= 1 && r.lastError !== null);
    expect(failed.lastError).toBe(`webhook 127.0.0.1:${internal.port} answered HTTP 401 Unauthorized`);
  });

  it("a stored URL's credentials (saved before they were refused) go as basic auth and never appear in the error", async () => {
    internal = await new InternalService().start();
    const closed = await new InternalService().start();
    const deadPort = closed.port;
    await closed.stop();
    const channel = webhookChannel({ timeoutMs: 2_000, nowMs: Date.now, allowedNetworks: ['loopback'] });
    const send = (url: string) => channel.send(messageTo(url));
    const answered = await send(`http://hook:s3cret-pw@127.0.0.1:${internal.port}/in`);
    expect(internal.requests[0]!.authorization).toBe(`Basic ${Buffer.from('hook:s3cret-pw').toString('base64')}`);
    const unreachable = await send(`http://hook:s3cret-pw@127.0.0.1:${deadPort}/in`);
    const refused = await webhookChannel({ timeoutMs: 2_000, nowMs: Date.now, allowedNetworks: [] }).send(messageTo(`http://hook:s3cret-pw@localhost:${deadPort}/in`));
    expect(unreachable).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/ECONNREFUSED/) });
    expect(refused).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^webhook localhost refused/) });
    for (const result of [answered, unreachable, refused]) expect(JSON.stringify(result)).not.toContain('s3cret');
  });

  it('refuses loopback, link-local (cloud metadata) and non-routable addresses unless listed; private LAN ranges are allowed by default', () => {
    const byDefault = new WebhookTargetPolicy(['private']);
    expect(byDefault.refusal('127.0.0.1')).toBe('a loopback address');
    expect(byDefault.refusal('::1')).toBe('a loopback address');
    expect(byDefault.refusal('::ffff:127.0.0.1')).toBe('a loopback address');
    expect(byDefault.refusal('169.254.169.254')).toBe('a link-local address');
    expect(byDefault.refusal('fe80::1')).toBe('a link-local address');
    expect(byDefault.refusal('0.0.0.0')).toBe('a non-routable address');
    expect(byDefault.refusal('224.0.0.1')).toBe('a non-routable address');
    expect(byDefault.refusal('192.168.1.20')).toBeNull();
    expect(byDefault.refusal('10.0.0.5')).toBeNull();
    expect(byDefault.refusal('93.184.216.34')).toBeNull();
    const strict = new WebhookTargetPolicy(['none']);
    expect(strict.refusal('192.168.1.20')).toBe('a private address');
    expect(strict.refusal('fd00::1')).toBe('a private address');
    const oneHost = new WebhookTargetPolicy(['169.254.10.0/24']);
    expect(oneHost.refusal('169.254.10.7')).toBeNull();
    expect(oneHost.refusal('169.254.169.254')).toBe('a link-local address');
    expect(() => new WebhookTargetPolicy(['10.0.0.0/40'])).toThrow(/webhookAllowedNetworks/);
  });

  it('masks credentials of any URL in error text', () => {
    expect(withoutUrlCredentials('fetch failed for http://user:p@ss@10.0.0.1:8080/x and https://t0ken@host/y')).toBe('fetch failed for http://***@10.0.0.1:8080/x and https://***@host/y');
  });
});
