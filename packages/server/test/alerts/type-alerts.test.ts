import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../src/alerts/index.js';
import { SYSTEM } from '../../src/service/actor.js';
import type { TestServer } from '../support/server.js';
import { checkNow, finishJob, inApp, MINUTE, restartAlertServer, startAlertServer } from './alert-server.js';

describe('alerts per job type', () => {
  let server: TestServer;
  let clock: { now: number };

  // check() is called by the tests: the timer stays out of the way.
  beforeEach(async () => ({ server, clock } = await startAlertServer({ checkIntervalMs: 3_600_000, queueDepth: 3 })));
  afterEach(() => server.close());

  const queue = (type: string) => server.headway.jobs.create({ type, owner: 'ada' }, SYSTEM);

  const finish = (type: string, to: 'complete' | 'fail', workMs = 0) => finishJob(server, clock, type, to, workMs);

  it('a queue at its threshold alerts the operators once per episode', async () => {
    const jobs = [await queue('import.csv'), await queue('import.csv')];
    await queue('mail.send');
    expect(await checkNow(server)).toEqual([]);

    jobs.push(await queue('import.csv'));
    expect(await checkNow(server)).toEqual(['queue_deep:import.csv:0']);
    expect(await checkNow(server)).toEqual([]);
    let alerts = await inApp(server, 'alert.queue_deep');
    expect(alerts.map((n) => [n.userId, n.title])).toEqual([['ops', 'Queue too deep: 3 import.csv jobs are waiting']]);

    // Back under the threshold, then over again: a new episode, a new alert.
    await server.headway.jobs.act(jobs[0]!.id, 'cancel', {}, SYSTEM);
    expect(await checkNow(server)).toEqual([]);
    await queue('import.csv');
    expect(await checkNow(server)).toEqual(['queue_deep:import.csv:1']);
    alerts = await inApp(server, 'alert.queue_deep');
    expect(alerts).toHaveLength(2);
  });

  it('another node numbers the episode the same, so the operators are told once', async () => {
    for (let i = 0; i < 3; i++) await queue('import.csv');
    await server.headway.jobs.act((await queue('import.csv')).id, 'cancel', {}, SYSTEM);
    expect(await checkNow(server)).toEqual(['queue_deep:import.csv:0']);
    const { headway } = server;
    const other = new AlertMonitor({ store: headway.store, notifier: headway.notifier, settings: headway.config.alerts, logger: headway.logger, now: headway.now, priorDurations: async () => [] });
    expect((await other.check()).raised).toEqual(['queue_deep:import.csv:0']);
    await headway.notifier.flush();
    expect(await inApp(server, 'alert.queue_deep')).toHaveLength(1);
  });

  it('a queue that goes back under its threshold while its node restarts, then over again, alerts again', async () => {
    const jobs = [await queue('import.csv'), await queue('import.csv'), await queue('import.csv')];
    expect(await checkNow(server)).toEqual(['queue_deep:import.csv:0']);
    await server.stop();
    const restarted = await restartAlertServer(server, clock, { checkIntervalMs: 3_600_000, queueDepth: 3 });
    try {
      await restarted.headway.jobs.act(jobs[0]!.id, 'cancel', {}, SYSTEM);
      expect(await checkNow(restarted)).toEqual([]);
      await restarted.headway.jobs.create({ type: 'import.csv', owner: 'ada' }, SYSTEM);
      expect(await checkNow(restarted)).toEqual(['queue_deep:import.csv:1']);
      expect((await inApp(restarted, 'alert.queue_deep')).map((n) => n.userId)).toEqual(['ops', 'ops']);
      // Still deep after another restart: the same episode, nobody is told twice.
      await restarted.stop();
      const again = await restartAlertServer(server, clock, { checkIntervalMs: 3_600_000, queueDepth: 3 });
      try {
        expect(await checkNow(again)).toEqual(['queue_deep:import.csv:1']);
        expect(await inApp(again, 'alert.queue_deep')).toHaveLength(2);
      } finally {
        await again.stop();
      }
    } finally {
      await restarted.stop();
    }
  });

  it('an episode another node saw begin is ended by the node that sees the failures stop', async () => {
    for (let i = 0; i < 5; i++) await finish('import.csv', 'fail');
    const { headway } = server;
    const otherNode = () => new AlertMonitor({ store: headway.store, notifier: headway.notifier, settings: headway.config.alerts, logger: headway.logger, now: headway.now, priorDurations: async () => [] });
    expect((await otherNode().check()).raised).toEqual(['failing:import.csv:0']);
    // That node goes away; this one has never seen the type failing, and sees the failures age out.
    clock.now += 16 * MINUTE;
    expect(await checkNow(server)).toEqual([]);
    for (let i = 0; i < 5; i++) await finish('import.csv', 'fail');
    expect(await checkNow(server)).toEqual(['failing:import.csv:1']);
    expect(await inApp(server, 'alert.failing')).toHaveLength(2);
  });

  it('a type failing half of its jobs in the window alerts once, with at least five finished', async () => {
    await finish('import.csv', 'complete');
    await finish('import.csv', 'fail');
    await finish('import.csv', 'fail');
    await finish('import.csv', 'fail');
    // Four finished, three failed: not enough jobs to call it failing.
    expect(await checkNow(server)).toEqual([]);
    await finish('import.csv', 'complete');
    for (let i = 0; i < 5; i++) await finish('mail.send', i === 0 ? 'fail' : 'complete');
    expect(await checkNow(server)).toEqual(['failing:import.csv:0']);
    expect(await checkNow(server)).toEqual([]);
    const alerts = await inApp(server, 'alert.failing');
    expect(alerts.map((n) => [n.userId, n.title])).toEqual([['ops', 'Failing: 3 of the last 5 import.csv jobs failed within 15 min']]);

    // The failures leave the 15-minute window: the episode ends; new failures start the next one.
    clock.now += 16 * MINUTE;
    expect(await checkNow(server)).toEqual([]);
    for (let i = 0; i < 5; i++) await finish('import.csv', 'fail');
    expect(await checkNow(server)).toEqual(['failing:import.csv:1']);
    expect(await inApp(server, 'alert.failing')).toHaveLength(2);
  });

  it('a job running over three times the p90 of its type alerts its owner once', async () => {
    for (let i = 0; i < 5; i++) await finish('report.build', 'complete', MINUTE);
    const job = await server.headway.jobs.create({ type: 'report.build', owner: 'bob', title: 'Q3 report' }, SYSTEM);
    await server.headway.jobs.act(job.id, 'start', {}, SYSTEM);
    clock.now += 2 * MINUTE;
    await server.headway.jobs.report(job.id, { message: 'still going' }, SYSTEM);
    expect(await checkNow(server)).toEqual([]);
    clock.now += 2 * MINUTE;
    expect(await checkNow(server)).toEqual([`slow:${job.id}:1`]);
    clock.now += MINUTE;
    expect(await checkNow(server)).toEqual([]);
    const alerts = await inApp(server, 'alert.slow');
    expect(alerts.map((n) => [n.userId, n.jobId]).sort()).toEqual([
      ['bob', job.id],
      ['ops', job.id],
    ]);
    expect(alerts[0]!.title).toContain('Q3 report');
  });
});
