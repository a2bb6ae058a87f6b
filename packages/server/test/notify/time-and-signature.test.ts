import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/notify/backoff.js';
import { signWebhook, verifyWebhook } from '../../src/notify/channels/webhook-signature.js';
import { digestWindow } from '../../src/notify/digest-window.js';
import { quietHoursEnd } from '../../src/notify/preferences/quiet-hours.js';

describe('quiet hours in the user time zone', () => {
  const quiet = { start: '22:00', end: '07:00' };

  it('is quiet at 23:30 in Paris and ends at 07:00 Paris time the next morning', () => {
    const now = Date.parse('2026-01-15T22:30:00Z'); // 23:30 in Paris (UTC+1)
    expect(quietHoursEnd(now, quiet, 'Europe/Paris')).toBe(Date.parse('2026-01-16T06:00:00Z'));
  });

  it('after midnight the end is the same morning', () => {
    const now = Date.parse('2026-07-15T01:00:00Z'); // 03:00 in Paris (UTC+2, summer)
    expect(quietHoursEnd(now, quiet, 'Europe/Paris')).toBe(Date.parse('2026-07-15T05:00:00Z'));
  });

  it('is not quiet outside the window, nor with no quiet hours', () => {
    expect(quietHoursEnd(Date.parse('2026-01-15T12:00:00Z'), quiet, 'Europe/Paris')).toBeNull();
    expect(quietHoursEnd(Date.parse('2026-01-15T23:00:00Z'), null, 'UTC')).toBeNull();
  });

  it('a daytime window (09:00–17:00) in New York', () => {
    const now = Date.parse('2026-03-02T15:00:00Z'); // 10:00 EST
    expect(quietHoursEnd(now, { start: '09:00', end: '17:00' }, 'America/New_York')).toBe(Date.parse('2026-03-02T22:00:00Z'));
  });

  it('a window ending on the night clocks go forward ends at the right instant', () => {
    const now = Date.parse('2026-03-29T00:30:00Z'); // 01:30 CET, clocks jump 02:00 → 03:00
    expect(quietHoursEnd(now, { start: '22:00', end: '07:00' }, 'Europe/Paris')).toBe(Date.parse('2026-03-29T05:00:00Z'));
  });
});

describe('digest windows', () => {
  it('hourly windows are whole hours', () => {
    expect(digestWindow('hourly', Date.parse('2026-01-15T10:59:59Z'), 'UTC')).toEqual({ start: Date.parse('2026-01-15T10:00:00Z'), end: Date.parse('2026-01-15T11:00:00Z') });
  });

  it('daily windows are the user local day, 23 hours long when clocks go forward', () => {
    expect(digestWindow('daily', Date.parse('2026-01-15T23:30:00Z'), 'Europe/Paris')).toEqual({ start: Date.parse('2026-01-15T23:00:00Z'), end: Date.parse('2026-01-16T23:00:00Z') });
    const dst = digestWindow('daily', Date.parse('2026-03-29T12:00:00Z'), 'Europe/Paris');
    expect(dst.end - dst.start).toBe(23 * 3_600_000);
  });

  it('a day before a skipped midnight ends when the gap ends and holds its last hour (Havana, 00:00 → 01:00)', () => {
    const now = Date.parse('2026-03-08T04:30:00Z'); // 23:30 CST on 7 March
    expect(digestWindow('daily', now, 'America/Havana')).toEqual({ start: Date.parse('2026-03-07T05:00:00Z'), end: Date.parse('2026-03-08T05:00:00Z') });
  });
});

describe('Standard Webhooks signature', () => {
  // The example from the Standard Webhooks specification's reference implementation tests.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';

  it('matches the specification example', () => {
    expect(signWebhook(secret, id, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies, and rejects a changed body, another secret or an old timestamp', () => {
    const signature = signWebhook(secret, id, timestamp, body);
    expect(verifyWebhook(secret, { id, timestamp: String(timestamp), signature }, body, timestamp + 10)).toBe(true);
    expect(verifyWebhook(secret, { id, timestamp: String(timestamp), signature }, body + ' ', timestamp)).toBe(false);
    expect(verifyWebhook('whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==', { id, timestamp: String(timestamp), signature }, body, timestamp)).toBe(false);
    expect(verifyWebhook(secret, { id, timestamp: String(timestamp), signature }, body, timestamp + 3600)).toBe(false);
  });
});

describe('retry backoff', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };

  it('doubles per failure with ±25% jitter, up to the cap', () => {
    expect(retryDelayMs(1, policy, 0.5)).toBe(1_000);
    expect(retryDelayMs(3, policy, 0.5)).toBe(4_000);
    expect(retryDelayMs(3, policy, 0)).toBe(3_000);
    expect(retryDelayMs(3, policy, 1)).toBe(5_000);
    expect(retryDelayMs(20, policy, 0.5)).toBe(60_000);
  });

  it('slows down for 429/5xx and honours a longer Retry-After', () => {
    expect(retryDelayMs(1, policy, 0.5, { slowDown: true })).toBe(4_000);
    expect(retryDelayMs(1, policy, 0.5, { retryAfterMs: 30_000 })).toBe(30_000);
  });
});
