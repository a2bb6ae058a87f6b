import nodemailer from 'nodemailer';
import type { Config } from '../../config/config.js';
import { failureOf, type NotificationChannel, type OutgoingMessage, type SendResult } from './channel.js';

/** SMTP reply codes 5xx are permanent (bad mailbox, rejected content): retrying cannot help. */
const PERMANENT_SMTP_CODE = /^5\d\d$/;

/**
 * Email over SMTP with nodemailer, pooled so a burst reuses connections. The Message-ID comes
 * from the notification id, so a mail re-sent after a crash can be recognised by the receiver.
 */
export function smtpChannel(smtp: NonNullable<Config['smtp']>, options: { maxConnections: number; ignoreTLS?: boolean }): NotificationChannel {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    pool: true,
    maxConnections: options.maxConnections,
    ...(options.ignoreTLS ? { ignoreTLS: true } : {}),
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
        const code = String((error as { responseCode?: number }).responseCode ?? '');
        if (PERMANENT_SMTP_CODE.test(code)) return { ok: false, error: (error as Error).message, retryable: false };
        return failureOf(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}
