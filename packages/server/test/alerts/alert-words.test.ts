import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { putPreferences } from '../notify/support/notify-server.js';
import { SmtpReceiver } from '../notify/support/smtp-receiver.js';
import { checkNow, finishJob, inApp, MINUTE, startAlertServer } from './alert-server.js';

/** The mail as a reader sees it: quoted-printable soft breaks joined and =XX bytes decoded. */
function readable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

describe('what alert notifications say', () => {
  const smtp = new SmtpReceiver();
  let server: TestServer;
  let clock: { now: number };

  beforeEach(async () => {
    await smtp.start();
    ({ server, clock } = await startAlertServer(
      { checkIntervalMs: 3_600_000, queueDepth: 3 },
      { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Headway <headway@example.test>' } },
    ));
  });
  afterEach(async () => {
    await server.close();
    await smtp.stop();
    smtp.mails.length = 0;
  });

  /** The in-app notification of `type` delivered to `user`. */
  async function inAppOf(type: string, user: string) {
    const items = await inApp(server, type);
    const found = items.find((n) => n.userId === user);
    if (!found) throw new Error(`no ${type} for ${user}`);
    return found;
  }

  const finish = (type: string, to: 'complete' | 'fail', workMs = 0) => finishJob(server, clock, type, to, workMs);

  it('stalled: the email and the in-app item name the job, its type, since when, its last message and what to do', async () => {
    await putPreferences(server, 'ops', { contacts: { email: 'ops@example.test' }, types: { 'alert.stalled': { channels: { email: true } } } });
    const job = await server.headway.jobs.create({ type: 'import.csv', owner: 'ada', title: 'Import customers', total: 100 }, SYSTEM);
    await server.headway.jobs.act(job.id, 'start', {}, SYSTEM);
    await server.headway.jobs.report(job.id, { done: 10, message: 'Read 10 of 100 rows' }, SYSTEM);
    await eventually(async () => (await server.headway.store.jobs.get(job.id))!.message === 'Read 10 of 100 rows');
    clock.now += 11 * MINUTE;
    expect(await checkNow(server)).toHaveLength(1);

    const headline = 'Stalled: Import customers has shown no progress for 11 min';
    const facts = `Job ${job.id} (type import.csv) is running but has reported nothing since 2026-01-05 12:00 +0000, 10% done, attempt 1.\nLast message: Read 10 of 100 rows\nWhat to do: check that the process running it is alive and not stuck (its logs, its host). If it is gone or stuck, fail the job (POST /v1/jobs/${job.id}/fail;`;
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['ops@example.test']);
    expect(mail!.subject).toBe(headline);
    expect(readable(mail!.raw).replace(/\r\n/g, '\n')).toContain(facts);
    const note = await inAppOf('alert.stalled', 'ada');
    expect(note.title).toBe(headline);
    expect(note.text).toContain(facts);
  });

  it('slow: the in-app item compares the time worked with the p90 of the type', async () => {
    for (let i = 0; i < 5; i++) await finish('report.build', 'complete', MINUTE);
    const job = await server.headway.jobs.create({ type: 'report.build', owner: 'bob', title: 'Q3 report' }, SYSTEM);
    await server.headway.jobs.act(job.id, 'start', {}, SYSTEM);
    const startedAt = clock.now;
    clock.now += 2 * MINUTE;
    await server.headway.jobs.report(job.id, { message: 'Rendering charts' }, SYSTEM);
    await eventually(async () => (await server.headway.store.jobs.get(job.id))!.message === 'Rendering charts');
    clock.now += 2 * MINUTE;
    expect(await checkNow(server)).toEqual([`slow:${job.id}:1`]);

    const note = await inAppOf('alert.slow', 'bob');
    expect(note.title).toBe('Slow: Q3 report has worked 4 min, over 3× the usual 1 min');
    const since = new Date(startedAt).toISOString().slice(0, 16).replace('T', ' ');
    expect(note.text).toContain(`Job ${job.id} (type report.build) has worked 4 min since ${since} +0000; 90% of the recent completed report.build jobs took 1 min or less (p90).`);
    expect(note.text).toContain('Last message: Rendering charts\nWhat to do: see whether its input is larger than usual');
  });

  it('queue too deep: the in-app item gives the count, the type and what to do', async () => {
    for (let i = 0; i < 3; i++) await server.headway.jobs.create({ type: 'import.csv', owner: 'ada' }, SYSTEM);
    expect(await checkNow(server)).toEqual(['queue_deep:import.csv:0']);
    const note = await inAppOf('alert.queue_deep', 'ops');
    expect(note.title).toBe('Queue too deep: 3 import.csv jobs are waiting');
    expect(note.text).toBe(
      '3 jobs of type import.csv are queued, at or over the threshold of 3.\nWhat to do: check that workers for import.csv are running and taking jobs; if they all are busy, add workers, or find what is creating so many jobs.',
    );
  });

  it('failing: the in-app item gives the counts, the rate against the threshold and what to do', async () => {
    for (const to of ['complete', 'fail', 'fail', 'fail', 'complete'] as const) await finish('import.csv', to);
    expect(await checkNow(server)).toEqual(['failing:import.csv:0']);
    const note = await inAppOf('alert.failing', 'ops');
    expect(note.title).toBe('Failing: 3 of the last 5 import.csv jobs failed within 15 min');
    expect(note.text).toContain('3 of the 5 jobs of type import.csv that finished within the last 15 min failed (60%; the alert is at 50%).\nWhat to do: open the failed import.csv jobs and read their errors');
  });
});
