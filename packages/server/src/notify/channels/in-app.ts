import type { Bus } from '../../bus/bus.js';
import type { NotificationChannel, OutgoingMessage, SendResult } from './channel.js';

/**
 * In-app: the notification row is the stored item (unread count, mark read live on its own
 * columns); sending is announcing it on the bus, which the stream routes push to `user:<id>`.
 */
export function inAppChannel(bus: Bus): NotificationChannel {
  return {
    name: 'in_app',
    async send(message: OutgoingMessage): Promise<SendResult> {
      // Pushed after the row is stored as sent, so a client that re-reads the unread count on the push finds it counted.
      const push = () =>
        bus.publish({
          type: 'notification',
          userId: message.userId,
          notification: { ...message.view, status: 'sent', title: message.rendered.subject, text: message.rendered.text },
        });
      return { ok: true, afterRecorded: push };
    },
  };
}
