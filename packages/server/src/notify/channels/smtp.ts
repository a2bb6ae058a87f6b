import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { NotificationChannel, OutgoingMessage, SendResult } from './channel.js';
import { smtpFailureOf } from './smtp-failure.js';

/** An operator problem (bad password, server down) is warned about once per this interval, not once per mail. */
const WARN_EVERY_MS = 60_000;

/**
 * implicit: smtps://, TLS from the start; required: STARTTLS before anything else, refused
 * otherwise; optional: STARTTLS when the server offers it; none: never (loopback).
 */
export type SmtpTls = 'implicit' | 'required' | 'optional' | 'none';

/**
 * Email over SMTP with nodemailer, pooled so a burst reuses connections. The Message-ID comes
 * from the notification id, so a mail re-sent after a crash can be recognised by the receiver.
 */
export function smtpChannel(smtp: NonNullable<Config['smtp']>, options: { maxConnections: number; tls: SmtpTls; logger?: Logger; nowMs?: () => number }): NotificationChannel {
  const nowMs = options.nowMs ?? Date.now;
  const lastWarnedAt = new Map<string, number>();
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    pool: true,
    maxConnections: options.maxConnections,
    ...(options.tls === 'none' ? { ignoreTLS: true } : {}),
    ...(options.tls === 'required' ? { requireTLS: true } : {}),
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    name: 'email',
    async send(message: OutgoingMessage): Promise<SendResult> {
      const to = message.contacts.email;
      if (!to) return { ok: false, error: 'no email address in the user preferences', retryable: false };
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to,
          subject: message.rendered.subject ?? message.type,
          text: message.rendered.text ?? '',
          ...(message.rendered.html ? { html: message.rendered.html } : {}),
          messageId: `<${message.id}@headway>`,
          headers: { 'X-Headway-Notification': message.id, 'X-Headway-Type': message.type },
        });
        return { ok: true, detail: info.response };
      } catch (error) {
        const failure = smtpFailureOf(error);
        const problem = failure.operatorProblem;
        if (problem && options.logger && nowMs() - (lastWarnedAt.get(problem) ?? -Infinity) >= WARN_EVERY_MS) {
          lastWarnedAt.set(problem, nowMs());
          // Host and port only: never the URL, which carries the credentials.
          options.logger.warn({ smtpHost: smtp.host, smtpPort: smtp.port }, `notify:email ${problem}`);
        }
        return failure.result;
      }
    },
    async close() {
      transport.close();
    },
  };
}
