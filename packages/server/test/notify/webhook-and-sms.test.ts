import { describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { eventually } from '../support/node.js';
import { SmtpReceiver } from './support/smtp-receiver.js';
import { TwilioReceiver } from './support/twilio-receiver.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { closeAfterEachTest, putPreferences, runJob, startNotifyServer } from './support/notify-server.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Listed {
  items: Array<{ id: string; channel: string; status: string; attempts: number; escalatedFrom: string | null; history: Array<{ outcome: string }> }>;
}

describe('webhooks and SMS', () => {
  let server: TestServer | undefined;
  const afterTest = closeAfterEachTest(() => server);

  it('webhooks are signed per Standard Webhooks, keep their id across retries, and a 5xx is retried', async () => {
    const receiver = await new WebhookReceiver(SECRET).start();
    afterTest(() => receiver.stop());
    receiver.status = 503;
    server = await startNotifyServer();
    await putPreferences(server, 'ada', { contacts: { webhook: { url: receiver.url, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true } } } });
    await runJob(server, 'ada', 'completed', { title: 'Nightly export' });
    await eventually(() => receiver.received.length >= 2);
    receiver.status = 200;
    const sent = await eventually(async () => (await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=webhook&status=sent')).body.items[0]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([sent.id]));
    expect(receiver.received.at(-1)!.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const body = JSON.parse(receiver.received.at(-1)!.body) as { type: string; data: { job: { title: string; status: string } } };
    expect(body).toMatchObject({ type: 'job.completed', data: { job: { title: 'Nightly export', status: 'completed' } } });
    expect(sent.history.map((a) => a.outcome)).toEqual([...Array(sent.attempts - 1).fill('failed'), 'sent']);
  });

  it('a 410 Gone disables the endpoint and dead-letters the notification without retrying', async () => {
    const receiver = await new WebhookReceiver(SECRET).start();
    afterTest(() => receiver.stop());
    receiver.status = 410;
    server = await startNotifyServer();
    await putPreferences(server, 'ada', { contacts: { webhook: { url: receiver.url, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true } } } });
    await runJob(server, 'ada', 'completed');
    const dead = await eventually(async () => (await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=webhook&status=dead')).body.items[0]);
    expect(dead.attempts).toBe(1);
    // The endpoint is disabled in a second write, after the dead outcome is recorded: wait for that write.
    const disabledAt = await eventually(async () => (await server!.request<{ contacts: { webhook: { disabledAt: number | null } } }>('GET', '/v1/users/ada/preferences')).body.contacts.webhook.disabledAt, 15_000, 'the endpoint disabled');
    expect(disabledAt).toEqual(expect.any(Number));
    // The next completion skips the disabled endpoint altogether.
    await runJob(server, 'ada', 'completed');
    await server.headway.notifier.flush();
    expect((await server.request<Listed>('GET', '/v1/notifications?user=ada&channel=webhook')).body.items).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('SMTP down for good: a failure notification escalates to SMS through the Twilio API', async () => {
    const closed = await new SmtpReceiver().start();
    const deadPort = closed.port;
    await closed.stop();
    const twilio = await new TwilioReceiver('AC0123456789abcdef0123456789abcdef', 'auth-token-secret').start();
    afterTest(() => twilio.stop());
    server = await startNotifyServer({ smtpPort: deadPort, sms: { baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15550009999' } });
    await putPreferences(server, 'ada', { contacts: { email: 'ada@example.test', phone: '+15551230000' } });
    await runJob(server, 'ada', 'failed', { title: 'CSV import' });
    await eventually(() => twilio.messages.length >= 1);
    expect(twilio.messages).toEqual([{ accountSid: twilio.accountSid, to: '+15551230000', from: '+15550009999', body: 'Headway: CSV import failed: Import failed at row 40,112' }]);
    // Twilio has the message before the server records the answer: wait for the record, not the receiver.
    const sms = await eventually(async () => (await server!.request<Listed>('GET', '/v1/notifications?user=ada&type=job.failed&channel=sms&status=sent')).body.items[0]);
    const listed = await server.request<Listed>('GET', '/v1/notifications?user=ada&type=job.failed&channel=email');
    const email = listed.body.items[0]!;
    expect(email.attempts).toBeGreaterThanOrEqual(2);
    expect(email.status).not.toBe('sent');
    expect(sms).toMatchObject({ status: 'sent', escalatedFrom: email.id });
    // The email keeps retrying until its limit, then it is dead; the SMS went out once.
    await eventually(async () => (await server!.request<Listed>('GET', `/v1/notifications?user=ada&channel=email&status=dead`)).body.items.length === 1);
    expect(twilio.messages).toHaveLength(1);
  });
});
