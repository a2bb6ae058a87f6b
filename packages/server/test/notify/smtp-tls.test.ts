import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { OutgoingMessage } from '../../src/notify/channels/channel.js';
import { smtpChannel } from '../../src/notify/channels/smtp.js';
import { smtpTls } from '../../src/notify/channels/smtp-tls.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAfterEachTest, FAST_NOTIFY, putPreferences, runJob } from './support/notify-server.js';
import { PLAIN_SMTP } from './support/smtp-receiver.js';

const PASSWORD = 'smtp-pass-8d1e';

/** An SMTP server without STARTTLS that takes any login, noting who logged in and what arrived. */
class PlainSmtp {
  readonly logins: string[] = [];
  readonly mails: string[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  async start(host: string): Promise<this> {
    const server = new SMTPServer({
      ...PLAIN_SMTP,
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        this.logins.push(`${auth.username}:${auth.password}`);
        callback(null, { user: auth.username });
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.mails.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
}

describe('SMTP without TLS', () => {
  let server: TestServer | undefined;
  const closeLater = closeAfterEachTest(() => server);

  async function start(smtp: PlainSmtp, host: string, allowUnencrypted: boolean, logLines: string[] = []): Promise<TestServer> {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
    server = await startTestServer({
      config: { notify: FAST_NOTIFY as never, smtp: { host, port: smtp.port, secure: false, user: 'ops', pass: PASSWORD, from: 'Headway <h@example.test>', allowUnencrypted } },
      headway: { logger },
    });
    await putPreferences(server, 'ada', { contacts: { email: 'ada@example.test' } });
    return server;
  }

  it('HEADWAY_SMTP_ALLOW_UNENCRYPTED is off by default, read as a boolean and refused when it is not one or has no server', () => {
    const url = 'smtp://ops:pw@mail.example.test:587';
    expect(loadConfig({}, { HEADWAY_SMTP_URL: url }).smtp?.allowUnencrypted).toBe(false);
    expect(loadConfig({}, { HEADWAY_SMTP_URL: url, HEADWAY_SMTP_ALLOW_UNENCRYPTED: 'true' }).smtp?.allowUnencrypted).toBe(true);
    expect(failure(() => loadConfig({}, { HEADWAY_SMTP_URL: url, HEADWAY_SMTP_ALLOW_UNENCRYPTED: 'maybe' }))).toBe(
      'invalid setting "smtp.allowUnencrypted" (from HEADWAY_SMTP_ALLOW_UNENCRYPTED): "maybe" is not true or false',
    );
    expect(failure(() => loadConfig({}, { HEADWAY_SMTP_ALLOW_UNENCRYPTED: 'true' }))).toMatch(/HEADWAY_SMTP_ALLOW_UNENCRYPTED is set but HEADWAY_SMTP_URL is not/);
  });

  it('STARTTLS is required off loopback unless allowed (then a warning, without the password); never on loopback; smtps is TLS from the start', () => {
    const logLines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
    const smtp = (host: string, extra: { secure?: boolean; allowUnencrypted?: boolean } = {}) => ({ host, port: 587, secure: false, user: 'ops', pass: PASSWORD, from: 'h@example.test', allowUnencrypted: false, ...extra });
    expect(smtpTls(smtp('mail.example.test'), logger)).toBe('required');
    expect(smtpTls(smtp('10.0.0.7'), logger)).toBe('required');
    expect(smtpTls(smtp('mail.example.test', { secure: true }), logger)).toBe('implicit');
    for (const host of ['localhost', '127.0.0.1', '127.0.0.53', '[::1]', '[::ffff:7f00:1]']) expect(smtpTls(smtp(host), logger), host).toBe('none');
    expect(logLines).toEqual([]);
    expect(smtpTls(smtp('mail.example.test', { allowUnencrypted: true }), logger)).toBe('optional');
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toContain('HEADWAY_SMTP_ALLOW_UNENCRYPTED');
    expect(logLines[0]).toContain('mail.example.test');
    expect(logLines[0]).not.toContain(PASSWORD);
  });

  it('a channel that requires STARTTLS gives a server without it neither the login nor the mail; allowed, it sends', async () => {
    const smtp = await new PlainSmtp().start('127.0.0.1');
    closeLater(() => smtp.stop());
    const config = { host: '127.0.0.1', port: smtp.port, secure: false, user: 'ops', pass: PASSWORD, from: 'Headway <h@example.test>', allowUnencrypted: false };
    const message = { id: 'n-1', userId: 'ada', type: 'job.completed', attempt: 1, rendered: { subject: 'done', text: 'done' }, contacts: { email: 'ada@example.test' }, view: {} } as unknown as OutgoingMessage;
    const required = smtpChannel(config, { maxConnections: 1, tls: 'required' });
    closeLater(async () => void (await required.close?.()));
    const refused = await required.send(message);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error).toMatch(/STARTTLS/);
    expect(smtp.logins).toEqual([]);
    expect(smtp.mails).toEqual([]);
    const optional = smtpChannel(config, { maxConnections: 1, tls: 'optional' });
    closeLater(async () => void (await optional.close?.()));
    expect((await optional.send(message)).ok).toBe(true);
    expect(smtp.logins).toEqual([`ops:${PASSWORD}`]);
    expect(smtp.mails).toHaveLength(1);
  });

  it('a receiver on loopback still gets the login and the mail over plain SMTP', async () => {
    const smtp = await new PlainSmtp().start('127.0.0.1');
    closeLater(() => smtp.stop());
    const node = await start(smtp, '127.0.0.1', false);
    await runJob(node, 'ada', 'completed');
    await eventually(async () => (smtp.mails.length === 1 ? true : null));
    expect(smtp.logins).toEqual([`ops:${PASSWORD}`]);
  });
});
