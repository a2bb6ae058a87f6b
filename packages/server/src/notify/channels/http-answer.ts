import type { SendResult } from './channel.js';

/**
 * What an HTTP answer means for delivery: 2xx sent; 410 gone for good; 408/429/5xx retry more
 * slowly (honouring Retry-After); other 4xx cannot succeed by retrying.
 */
export async function resultOfHttpAnswer(response: Response, what: string): Promise<SendResult> {
  if (response.ok) return { ok: true, detail: `HTTP ${response.status}` };
  const body = (await response.text().catch(() => '')).slice(0, 200);
  const error = `${what} answered HTTP ${response.status}${body ? `: ${body}` : ''}`;
  if (response.status === 410) return { ok: false, error, retryable: false, gone: true };
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    const retryAfterMs = retryAfterOf(response.headers.get('retry-after'));
    return { ok: false, error, retryable: true, slowDown: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { ok: false, error, retryable: false };
}

/** Retry-After in seconds or as an HTTP date, capped at a day. */
function retryAfterOf(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 86_400_000) : undefined;
}
