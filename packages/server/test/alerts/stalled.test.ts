import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../src/alerts/index.js';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { checkNow, inApp, MINUTE, startAlertServer, type Listed } from './alert-server.js';

describe('stalled jobs', () => {
  let server: TestServer;
  let clock: { now: number };

  // Only the first test relies on the monitor's own timer; the others call check() and read what it raised.
  beforeEach(async (context) => ({ server, clock } = await startAlertServer(context.task.name.startsWith('a job that stops') ? {} : { checkIntervalMs: 3_600_000 })));
  afterEach(() => server.close());

  async function runningJob(owner: string) {
    const job = await server.headway.jobs.create({ type: 'import.csv', owner, title: 'Import customers', total: 100 }, SYSTEM);
    await server.headway.jobs.act(job.id, 'start', {}, SYSTEM);
    await server.headway.jobs.report(job.id, { done: 10 }, SYSTEM);
    return job;
  }

  it('a job that stops reporting alerts its owner and the operators once, after 10 minutes and not before', async () => {
    const job = await runningJob('ada');
    clock.now += 9 * MINUTE;
    expect(await checkNow(server)).toEqual([]);
    expect(await inApp(server, 'alert.stalled')).toEqual([]);

    clock.now += 2 * MINUTE;
    // The timer's own checks (every 20 ms) find it too: waiting for the feed, not calling check().
    const alerts = await eventually(async () => {
      const res = await server.request<Listed>('GET', '/v1/notifications?type=alert.stalled&channel=in_app&status=sent');
      return res.body.items.length === 2 ? res.body.items : null;
    });
    expect(alerts.map((n) => n.userId).sort()).toEqual(['ada', 'ops']);
    expect(alerts.every((n) => n.jobId === job.id)).toBe(true);
    expect(alerts[0]!.title).toBe('Stalled: Import customers has shown no progress for 11 min');

    for (let i = 0; i < 3; i++) {
      clock.now += 5 * MINUTE;
      expect(await checkNow(server)).toEqual([]);
    }
    expect(await inApp(server, 'alert.stalled')).toHaveLength(2);
  });

  it('progress ends the stall; stopping again is a new stall with a new alert', async () => {
    const job = await runningJob('ada');
    clock.now += 11 * MINUTE;
    await checkNow(server);
    expect((await inApp(server, 'alert.stalled')).filter((n) => n.userId === 'ada')).toHaveLength(1);

    await server.headway.jobs.report(job.id, { done: 40 }, SYSTEM);
    // Progress is written by the flusher (every 20 ms here); until then the row still looks stalled.
    await eventually(async () => (await server.headway.store.jobs.get(job.id))!.updatedAt === clock.now);
    clock.now += 5 * MINUTE;
    expect(await checkNow(server)).toEqual([]);
    clock.now += 6 * MINUTE;
    expect((await checkNow(server)).filter((id) => id.startsWith('stalled:'))).toHaveLength(1);
    expect((await inApp(server, 'alert.stalled')).filter((n) => n.userId === 'ada')).toHaveLength(2);
  });

  it('a finished or paused job is not stalled', async () => {
    const done = await runningJob('ada');
    const paused = await runningJob('bob');
    await server.headway.jobs.act(done.id, 'complete', {}, SYSTEM);
    await server.headway.jobs.act(paused.id, 'pause', {}, SYSTEM);
    // The worker acknowledges by asking again: only then is the job paused.
    expect((await server.headway.jobs.act(paused.id, 'pause', {}, SYSTEM)).status).toBe('paused');
    clock.now += 60 * MINUTE;
    expect((await checkNow(server)).filter((id) => id.startsWith('stalled:'))).toEqual([]);
    expect(await inApp(server, 'alert.stalled')).toEqual([]);
  });

  it('a second node raising the same stall notifies nobody twice (the outbox key is shared)', async () => {
    await runningJob('ada');
    clock.now += 11 * MINUTE;
    expect(await checkNow(server)).toHaveLength(1);
    // Another node's monitor: its own memory of raised ids is empty, the store is the same.
    const { headway } = server;
    const other = new AlertMonitor({ store: headway.store, notifier: headway.notifier, settings: headway.config.alerts, logger: headway.logger, now: headway.now, priorDurations: async () => [] });
    expect((await other.check()).raised).toHaveLength(1);
    await headway.notifier.flush();
    expect((await inApp(server, 'alert.stalled')).map((n) => n.userId).sort()).toEqual(['ada', 'ops']);
  });
});
