import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { dropTestDb, freshTestDb } from '../support/test-db.js';
import { FlakyOutbox } from './support/flaky-outbox.js';
import { FAST_NOTIFY, runJob } from './support/notify-server.js';

const MAX_PENDING = 20;

describe('an outbox that keeps refusing writes while events arrive', () => {
  let dir: string | undefined;
  let db: string | undefined;
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (db) await dropTestDb(db);
  });

  it('holds at most maxPendingTriggers in memory, and once writes work every notification (and the alert raised meanwhile) is enqueued exactly once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'headway-pending-bound-'));
    db = freshTestDb(dir);
    const flaky = new FlakyOutbox(await openStore(db));
    server = await startTestServer({ dbPath: db, config: { notify: { ...FAST_NOTIFY, maxPendingTriggers: MAX_PENDING } as never }, headway: { store: flaky.store } });
    const { notifier } = server.headway;
    flaky.failWhen = () => true;
    // An alert has no durable event to be read back from: it is kept through the overflow.
    notifier.raise({ type: 'alert.stalled', id: 'stall-1', message: 'no progress for 10 min', recipients: ['ops'] });

    // 40 jobs: 80 notifications (started, completed), four times the bound, while every write fails.
    let most = 0;
    const jobs = [];
    for (let i = 0; i < 40; i++) {
      jobs.push(await runJob(server, 'ada', 'completed', { title: `Job ${i}` }));
      most = Math.max(most, notifier.pendingTriggers);
    }
    await eventually(() => flaky.failures >= 3, 15_000, 'failed writes');
    most = Math.max(most, notifier.pendingTriggers);
    expect(most).toBeLessThanOrEqual(MAX_PENDING);

    flaky.failWhen = () => false;
    await notifier.flush();
    const listed = await server.headway.store.notifications.list({ userId: 'ada', channel: 'in_app', limit: 500 });
    const keys = listed.items.map((n) => `${n.jobId} ${n.type}`).sort();
    const expected = jobs.flatMap((job) => [`${job.id} job.completed`, `${job.id} job.started`]).sort();
    expect(keys).toEqual(expected);
    expect(notifier.pendingTriggers).toBe(0);
    const alerts = await server.headway.store.notifications.list({ userId: 'ops', limit: 10 });
    expect(alerts.items.map((n) => n.type)).toEqual(['alert.stalled']);
    const lastEvent = await server.headway.store.jobs.latestCursor();
    expect(await server.headway.store.notifications.savedCursor()).toBe(lastEvent);
  });
});
