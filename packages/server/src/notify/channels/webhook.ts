import { failureOf, type NotificationChannel, type OutgoingMessage, type SendResult } from './channel.js';
import { resultOfHttpAnswer } from './http-answer.js';
import { signWebhook } from './webhook-signature.js';

/**
 * Webhooks signed per Standard Webhooks: `webhook-id` is the notification id (the same on every
 * retry, so receivers de-duplicate), `webhook-timestamp` the attempt time in seconds, and
 * `webhook-signature` `v1,<base64 HMAC-SHA256(id.timestamp.body)>` with the endpoint's secret.
 */
export function webhookChannel(options: { timeoutMs: number; nowMs: () => number }): NotificationChannel {
  return {
    name: 'webhook',
    async send(message: OutgoingMessage): Promise<SendResult> {
      const endpoint = message.contacts.webhook;
      if (!endpoint) return { ok: false, error: 'no webhook URL in the user preferences', retryable: false };
      if (endpoint.disabledAt !== null) return { ok: false, error: 'the webhook endpoint was disabled after it answered 410 Gone; save it again to re-enable', retryable: false };
      const body = message.rendered.json ?? JSON.stringify({ type: message.type });
      const timestamp = Math.floor(options.nowMs() / 1000);
      try {
        const response = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Headway-Webhooks/1',
            'webhook-id': message.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(endpoint.secret, message.id, timestamp, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        return await resultOfHttpAnswer(response, `webhook ${new URL(endpoint.url).host}`, 'webhook');
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}
