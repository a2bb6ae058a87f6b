import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { smtpFailureOf } from '../../src/notify/channels/smtp-failure.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAfterEachTest, FAST_NOTIFY, putPreferences, runJob, startNotifyServer } from './support/notify-server.js';
import { PLAIN_SMTP } from './support/smtp-receiver.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PASSWORD = 'hunter2-smtp-password';

interface Listed {
  items: Array<{ id: string; status: string; attempts: number; lastError: string | null; history: Array<{ outcome: string; error: string | null }> }>;
}

/** An SMTP server that refuses every login with 535 until `acceptLogins`, and refuses one mailbox with 550. */
class PickySmtp {
  acceptLogins = false;
  readonly accepted: string[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  async start(): Promise<this> {
    const server = new SMTPServer({
      ...PLAIN_SMTP,
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        if (!this.acceptLogins) {
          callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
          return;
        }
        callback(null, { user: auth.username });
      },
      onRcptTo: (address, _session, callback) => {
        if (address.address.startsWith('gone@')) callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        else callback();
      },
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on('end', () => {
          this.accepted.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      },
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('configuration and receiver errors are retried, per-message rejections are not', () => {
  let server: TestServer | undefined;
  const afterTest = closeAfterEachTest(() => server);

  it('an SMTP login refused with 535 keeps the mail, warns the operator without the password, and sends once the login works', async () => {
    const smtp = await new PickySmtp().start();
    afterTest(() => smtp.stop());
    const logs: string[] = [];
    server = await startTestServer({
      config: {
        notify: { ...FAST_NOTIFY } as never,
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'ops', pass: PASSWORD, from: 'Headway <headway@example.test>' },
      },
      headway: { logger: pino({ level: 'warn' }, { write: (line: string) => logs.push(line) }) },
    });
    await putPreferences(server, 'ada', { contacts: { email: 'ada@example.test' } });
    await runJob(server, 'ada', 'completed');
    const failing = await eventually(async () => {
      const row = (await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=email')).body.items[0];
      return row && row.attempts >= 2 ? row : null;
    });
    expect(failing.status).toBe('failed');
    expect(failing.lastError).toMatch(/535/);
    await eventually(() => logs.some((l) => /refused the login/.test(l)), 5_000, 'the operator warning');
    expect(logs.join('\n')).not.toContain(PASSWORD);

    smtp.acceptLogins = true;
    await eventually(async () => (await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=email&status=sent')).body.items[0]);
    expect(smtp.accepted).toEqual(['ada@example.test']);
  });

  it('a 550 for the recipient mailbox is permanent: dead after one attempt', async () => {
    const smtp = await new PickySmtp().start();
    smtp.acceptLogins = true;
    afterTest(() => smtp.stop());
    server = await startNotifyServer({ smtpPort: smtp.port });
    await putPreferences(server, 'bob', { contacts: { email: 'gone@example.test' } });
    await runJob(server, 'bob', 'completed');
    const dead = await eventually(async () => (await server!.request<Listed>('GET', '/v1/notifications?user=bob&channel=email&status=dead')).body.items[0]);
    expect(dead.attempts).toBe(1);
    expect(dead.lastError).toMatch(/550/);
  });

  it('a webhook answering 404, then 401, then 400 is retried and delivered once it answers 200', async () => {
    const receiver = await new WebhookReceiver(SECRET).start();
    afterTest(() => receiver.stop());
    receiver.status = 404;
    server = await startNotifyServer({ notify: { webhookAllowedNetworks: ['private', 'loopback'] } as never });
    await putPreferences(server, 'ada', { contacts: { webhook: { url: receiver.url, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true } } } });
    await runJob(server, 'ada', 'completed');
    await eventually(() => receiver.received.length >= 1);
    receiver.status = 401;
    await eventually(() => receiver.received.length >= 2);
    receiver.status = 400;
    await eventually(() => receiver.received.length >= 3);
    receiver.status = 200;
    const sent = await eventually(async () => (await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=webhook&status=sent')).body.items[0]);
    expect(sent.history.slice(0, 3).map((a) => a.error)).toEqual([expect.stringMatching(/HTTP 404/), expect.stringMatching(/HTTP 401/), expect.stringMatching(/HTTP 400/)]);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([sent.id]));
  });

  it('classifies SMTP errors: setup problems retried with a hint, per-message rejections permanent', () => {
    const auth = smtpFailureOf(Object.assign(new Error('Invalid login: 535 Authentication failed'), { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }));
    expect(auth.result).toMatchObject({ ok: false, retryable: true });
    expect(auth.operatorProblem).toMatch(/refused the login.*HEADWAY_SMTP_URL/);
    for (const [code, command] of [[530, 'MAIL FROM'], [454, 'AUTH PLAIN'], [421, 'CONN'], [550, 'MAIL FROM']] as const) {
      expect(smtpFailureOf(Object.assign(new Error(`${code}`), { code: 'EENVELOPE', responseCode: code, command })).result).toMatchObject({ retryable: true });
    }
    expect(smtpFailureOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET', command: 'CONN' })).result).toMatchObject({ retryable: true });
    for (const [code, command] of [[550, 'RCPT TO'], [553, 'RCPT TO'], [554, 'DATA']] as const) {
      expect(smtpFailureOf(Object.assign(new Error(`${code}`), { code: 'EENVELOPE', responseCode: code, command })).result).toMatchObject({ retryable: false });
    }
  });
});
