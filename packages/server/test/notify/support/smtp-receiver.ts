import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  messageId: string;
  notificationId: string;
}

/** Options of a plain (no STARTTLS) SMTP test server that needs no login and logs nothing. */
export const PLAIN_SMTP = {
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  disableReverseLookup: true,
  // Pooled senders keep connections open: an outage should cut them at once, not after 30 s.
  closeTimeout: 100,
} satisfies SMTPServerOptions;

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package), collecting every mail it accepts.
 * `stop()` and `start()` again on the same port simulate an outage; `hold` makes it keep a mail
 * without answering (the sender waits, as with a slow relay) until `release()`.
 */
export class SmtpReceiver {
  readonly mails: ReceivedMail[] = [];
  port = 0;
  hold = false;
  /** Start holding once this many mails were accepted (crash tests). */
  holdAfter: number | undefined;
  private held: Array<() => void> = [];
  private server: SMTPServer | null = null;
  private waiters: Array<() => void> = [];

  async start(port = this.port): Promise<this> {
    const server = new SMTPServer({
      ...PLAIN_SMTP,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const accept = () => {
            this.mails.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope));
            if (this.holdAfter !== undefined && this.mails.length >= this.holdAfter) this.hold = true;
            for (const w of this.waiters.splice(0)) w();
            callback();
          };
          if (this.hold) this.held.push(accept);
          else accept();
        });
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  /** Mails held so far (not answered yet). */
  get heldCount(): number {
    return this.held.length;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.held = [];
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves when at least `count` mails arrived (or rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} mails, got ${this.mails.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.mails;
  }
}

function parse(raw: string, envelope: { mailFrom: false | { address: string }; rcptTo: Array<{ address: string }> }): ReceivedMail {
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
  return {
    from: envelope.mailFrom ? envelope.mailFrom.address : '',
    to: envelope.rcptTo.map((r) => r.address),
    raw,
    subject: header('Subject'),
    messageId: header('Message-ID'),
    notificationId: header('X-Headway-Notification'),
  };
}
