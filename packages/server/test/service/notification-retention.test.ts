import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetentionSweeper } from '../../src/service/retention.js';
import type { NewNotification } from '../../src/store/notification-store.js';
import { testStorePerTest } from '../support/store-per-test.js';

const DAY_MS = 86_400_000;
const NOW = Date.now();
const OLD = NOW - 40 * DAY_MS;
const store = testStorePerTest('notification-retention');

afterEach(() => {
  vi.restoreAllMocks();
});

function note(id: string, dueAt: number): NewNotification {
  return { id, key: id, userId: 'ada', type: 'alert.stalled', channel: 'in_app', jobId: null, urgent: false, data: { type: 'alert.stalled', at: OLD, job: null }, dueAt };
}

/** Writes rows created at `at`, claims them and records `status` at `at` (a retry is due in 10 days). */
async function finished(ids: string[], status: 'sent' | 'dead' | 'failed', at: number): Promise<void> {
  const n = store().notifications;
  await n.enqueue({ notifications: ids.map((id) => note(id, at)), digestItems: [] }, at);
  await n.claimDue('node', at, at + DAY_MS, ids.length);
  for (const id of ids) {
    const attempt = { attempt: 1, channel: 'in_app' as const, startedAt: at, endedAt: at, outcome: status, error: status === 'sent' ? null : 'down' };
    await n.complete({ id, leaseOwner: 'node', status, attempt, ...(status === 'failed' ? { dueAt: NOW + 10 * DAY_MS } : {}) }, at);
  }
}

describe('retention of notifications', () => {
  it('a backlog of old sent, dead and read notifications and closed digests goes in chunks, letting other work run; pending, retrying and recent ones stay', async () => {
    const n = store().notifications;
    await finished(Array.from({ length: 1_100 }, (_, i) => `old-sent-${String(i).padStart(4, '0')}`), 'sent', OLD);
    await n.markRead('ada', undefined, OLD);
    await finished(['old-dead'], 'dead', OLD);
    await finished(['old-retrying'], 'failed', OLD);
    await n.enqueue({ notifications: [note('old-deferred', NOW + 10 * DAY_MS)], digestItems: [] }, OLD);
    await finished(['recent-sent'], 'sent', NOW - 29 * DAY_MS);
    const item = { digestId: 'old-digest', itemKey: 'old-item', userId: 'ada', type: 'job.completed', digestKey: 'all', windowStart: OLD, windowEnd: OLD + 3_600_000, channels: ['email' as const], jobId: null, data: { type: 'job.completed', at: OLD, job: null } };
    await n.enqueue({ notifications: [], digestItems: [item] }, OLD);
    expect(await n.flushDigests(OLD + 3_600_000, () => 'old-digest-message')).toBe(1);
    const purges = vi.spyOn(n, 'purgeExpired');

    const sweeper = new RetentionSweeper(store(), pino({ level: 'silent' }), () => NOW, 30);
    const order: string[] = [];
    const sweep = sweeper.sweep().then(() => order.push('sweep done'));
    setImmediate(() => order.push('other work'));
    await sweep;

    expect(order).toEqual(['other work', 'sweep done']);
    // 1,101 notifications and a digest: five chunks of 200, then 101 and the digest, then none left.
    expect(purges.mock.calls.map(([, limit]) => limit)).toEqual(Array(7).fill(200));
    expect(await Promise.all(purges.mock.results.map((r) => r.value))).toEqual([200, 200, 200, 200, 200, 102, 0]);
    const left = await n.list({ limit: 100 });
    expect(left.items.map((row) => `${row.id} ${row.status}`).sort()).toEqual(['old-deferred queued', 'old-digest-message queued', 'old-retrying failed', 'recent-sent sent']);
    // The closed digest's item went with it: the same item key is new again.
    expect(await n.enqueue({ notifications: [], digestItems: [{ ...item, windowStart: NOW, windowEnd: NOW + 3_600_000 }] }, NOW)).toEqual({ notifications: 0, digestItems: 1 });
  });
});
