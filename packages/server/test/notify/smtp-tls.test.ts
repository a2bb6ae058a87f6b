import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAfterEachTest, FAST_NOTIFY, putPreferences, runJob } from './support/notify-server.js';

const PASSWORD = 'smtp-pass-8d1e';

interface Listed {
  items: Array<{ status: string; attempts: number; history: Array<{ outcome: string; error: string | null }> }>;
}

/** An SMTP server without STARTTLS that takes any login, noting who logged in and what arrived. */
class PlainSmtp {
  readonly logins: string[] = [];
  readonly mails: string[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  async start(host: string): Promise<this> {
    const server = new SMTPServer({
      allowInsecureAuth: true,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      closeTimeout: 100,
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

/** This machine's first IPv4 address that is not loopback: an SMTP host the way a remote one is reached. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

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

  it.skipIf(!outsideAddress)('a server off loopback that offers no STARTTLS gets neither the login nor the mail', async () => {
    const smtp = await new PlainSmtp().start(outsideAddress!);
    closeLater(() => smtp.stop());
    const node = await start(smtp, outsideAddress!, false);
    await runJob(node, 'ada', 'completed');
    const row = await eventually(async () => {
      const res = await node.request<Listed>('GET', '/v1/notifications?user=ada&channel=email');
      const item = res.body.items[0];
      return item && item.attempts >= 2 ? item : null;
    });
    expect(row.status).not.toBe('sent');
    expect(row.history[0]!.error).toMatch(/STARTTLS/);
    expect(smtp.logins).toEqual([]);
    expect(smtp.mails).toEqual([]);
  });

  it.skipIf(!outsideAddress)('with HEADWAY_SMTP_ALLOW_UNENCRYPTED it sends anyway and warns, without the password', async () => {
    const smtp = await new PlainSmtp().start(outsideAddress!);
    closeLater(() => smtp.stop());
    const logLines: string[] = [];
    const node = await start(smtp, outsideAddress!, true, logLines);
    await runJob(node, 'ada', 'completed');
    await eventually(async () => (smtp.mails.length === 1 ? true : null));
    expect(smtp.logins).toEqual([`ops:${PASSWORD}`]);
    const warning = logLines.find((line) => line.includes('HEADWAY_SMTP_ALLOW_UNENCRYPTED'));
    expect(warning).toContain(outsideAddress!);
    expect(logLines.join('\n')).not.toContain(PASSWORD);
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
