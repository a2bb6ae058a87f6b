import type { Config } from '../../config/config.js';
import { failureOf, type NotificationChannel, type OutgoingMessage, type SendResult } from './channel.js';
import { resultOfHttpAnswer } from './http-answer.js';

/** Twilio's limit for one message body (longer texts are cut, not split). */
const MAX_BODY_CHARS = 1600;

/**
 * SMS through a Twilio-compatible REST API: POST {baseUrl}/2010-04-01/Accounts/{Sid}/Messages.json
 * with a form-encoded To/From/Body and HTTP basic auth (account SID and auth token).
 */
export function smsChannel(sms: NonNullable<Config['sms']>, options: { timeoutMs: number }): NotificationChannel {
  const url = `${sms.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(sms.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${sms.accountSid}:${sms.authToken}`).toString('base64')}`;
  return {
    name: 'sms',
    async send(message: OutgoingMessage): Promise<SendResult> {
      const to = message.contacts.phone;
      if (!to) return { ok: false, error: 'no phone number in the user preferences', retryable: false };
      const body = new URLSearchParams({ To: to, From: sms.from, Body: (message.rendered.text ?? message.type).slice(0, MAX_BODY_CHARS) });
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        await response.body?.cancel();
        return resultOfHttpAnswer({ status: response.status, retryAfter: response.headers.get('retry-after') }, 'SMS provider', 'sms');
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}
