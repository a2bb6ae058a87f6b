import { STATUS_CODES } from 'node:http';
import type { SendResult } from './channel.js';

/**
 * Which non-2xx answers cannot succeed by retrying. Webhooks (Standard Webhooks): none but 410, so a
 * receiver that is briefly misconfigured (404 while deploying, 401 after a key rotation, 400 from a
 * bug) loses nothing. SMS: the provider's 4xx are about the message (invalid number), except
 * 401/403/404, which are our account settings and hit every message alike.
 */
export type HttpRetryPolicy = 'webhook' | 'sms';

const SMS_SETTINGS_STATUSES = new Set([401, 403, 404]);

/** The status of an answer and its Retry-After header: all delivery reads of it. */
export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
}

/**
 * What an HTTP answer means for delivery: 2xx sent; 410 gone for good; 408/429/5xx retry more
 * slowly (honouring Retry-After); other statuses per the policy above. The error names the status
 * and its standard reason only: the receiver's body and reason text never reach lastError or the
 * log, so a webhook pointed at an internal service cannot read its answers (SSRF).
 */
export function resultOfHttpAnswer(answer: HttpAnswer, what: string, policy: HttpRetryPolicy): SendResult {
  const { status } = answer;
  if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
  const reason = STATUS_CODES[status];
  const error = `${what} answered HTTP ${status}${reason ? ` ${reason}` : ''}`;
  if (status === 410) return { ok: false, error, retryable: false, gone: true };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = retryAfterOf(answer.retryAfter);
    return { ok: false, error, retryable: true, slowDown: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  const retryable = policy === 'webhook' || SMS_SETTINGS_STATUSES.has(status);
  return { ok: false, error, retryable };
}

/** Retry-After in seconds or as an HTTP date, capped at a day. */
function retryAfterOf(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 86_400_000) : undefined;
}
