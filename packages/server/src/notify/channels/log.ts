import type { Logger } from 'pino';
import type { NotificationChannel, OutgoingMessage, SendResult } from './channel.js';

/** The system log: one structured pino line per notification (no contact details). */
export function logChannel(logger: Logger): NotificationChannel {
  return {
    name: 'log',
    async send(message: OutgoingMessage): Promise<SendResult> {
      logger.info({ notificationId: message.id, userId: message.userId, type: message.type, attempt: message.attempt }, message.rendered.text ?? message.type);
      return { ok: true };
    },
  };
}
