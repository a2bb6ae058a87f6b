import { failureOf, type NotificationChannel, type OutgoingMessage, type SendResult } from './channel.js';
import { resultOfHttpAnswer } from './http-answer.js';
import { postWebhook } from './webhook-post.js';
import { signWebhook } from './webhook-signature.js';
import { WebhookTargetPolicy, WebhookTargetRefused } from './webhook-target.js';

/**
 * Webhooks signed per Standard Webhooks: `webhook-id` is the notification id (the same on every
 * retry, so receivers de-duplicate), `webhook-timestamp` the attempt time in seconds, and
 * `webhook-signature` `v1,<base64 HMAC-SHA256(id.timestamp.body)>` with the endpoint's secret.
 * Users choose the URL, so the target is checked at send time (see webhook-target.ts).
 */
export function webhookChannel(options: { timeoutMs: number; nowMs: () => number; allowedNetworks: readonly string[] }): NotificationChannel {
  const policy = new WebhookTargetPolicy(options.allowedNetworks);
  return {
    name: 'webhook',
    async send(message: OutgoingMessage): Promise<SendResult> {
      const endpoint = message.contacts.webhook;
      if (!endpoint) return { ok: false, error: 'no webhook URL in the user preferences', retryable: false };
      if (endpoint.disabledAt !== null) return { ok: false, error: 'the webhook endpoint was disabled after it answered 410 Gone; save it again to re-enable', retryable: false };
      const url = URL.canParse(endpoint.url) ? new URL(endpoint.url) : null;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return { ok: false, error: 'the webhook URL is not an http:// or https:// URL; save a valid one', retryable: false };
      const body = message.rendered.json ?? JSON.stringify({ type: message.type });
      const timestamp = Math.floor(options.nowMs() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Headway-Webhooks/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(endpoint.secret, message.id, timestamp, body),
      };
      try {
        const answer = await postWebhook(url, headers, body, { policy, timeoutMs: options.timeoutMs });
        const retryAfter = answer.headers['retry-after'];
        return resultOfHttpAnswer({ status: answer.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : null }, `webhook ${url.host}`, 'webhook');
      } catch (error) {
        if (error instanceof WebhookTargetRefused) return { ok: false, error: error.message, retryable: false };
        return failureOf(error);
      }
    },
  };
}
