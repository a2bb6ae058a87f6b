import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { retryDelayMs } from '../../src/notify/backoff.js';

const DAY_MS = 86_400_000;

describe('default retry window', () => {
  it('a notification failing transiently is retried for more than a day, even with the shortest jitter', () => {
    const { notify } = loadConfig({}, {});
    const policy = { baseMs: notify.backoffBaseMs, maxMs: notify.backoffMaxMs };
    let shortestMs = 0;
    let typicalMs = 0;
    // Attempt n fails → wait retryDelayMs(n) before attempt n + 1; the last attempt's failure is final.
    for (let failed = 1; failed < notify.maxAttempts; failed++) {
      shortestMs += retryDelayMs(failed, policy, 0);
      typicalMs += retryDelayMs(failed, policy, 0.5);
    }
    expect(shortestMs).toBeGreaterThan(DAY_MS);
    // ...and no single wait is longer than the cap, so a mail goes out soon after the server is back.
    expect(retryDelayMs(notify.maxAttempts, policy, 1)).toBeLessThanOrEqual(notify.backoffMaxMs * 1.25);
    expect(typicalMs / 3_600_000).toBeGreaterThan(36);
  });
});
