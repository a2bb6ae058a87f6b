import { describe, expect, it } from 'vitest';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { SmtpReceiver } from './support/smtp-receiver.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { closeAfterEachTest, putPreferences, runJob, startNotifyServer } from './support/notify-server.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NIGHT = Date.parse('2026-01-15T22:30:00Z'); // 23:30 in Paris, inside 22:00–07:00
const MORNING = Date.parse('2026-01-16T06:00:01Z');

/** A clock the test moves: real time plus an offset, so timers and leases still advance. */
function movableClock(startAt: number) {
  let offset = startAt - Date.now();
  return { now: () => Date.now() + offset, set: (at: number) => void (offset = at - Date.now()) };
}

interface Listed {
  items: Array<{ id: string; channel: string; status: string; attempts: number; lastError: string | null; type: string }>;
}

describe('preferences are checked again when a queued notification is sent', () => {
  let server: TestServer | undefined;
  const afterTest = closeAfterEachTest(() => server);

  async function emailAndInApp(jobId: string) {
    const res = await server!.request<Listed>('GET', `/v1/notifications?user=ada&jobId=${jobId}&type=job.completed`);
    return Object.fromEntries(res.body.items.map((n) => [n.channel, n]));
  }

  /** Ada's completion email and in-app item, held by her quiet hours. */
  async function heldByQuietHours(smtp: SmtpReceiver, clock: ReturnType<typeof movableClock>) {
    server = await startNotifyServer({ smtpPort: smtp.port, now: clock.now });
    await putPreferences(server, 'ada', { timeZone: 'Europe/Paris', quietHours: { start: '22:00', end: '07:00' }, contacts: { email: 'ada@example.test' } });
    const job = await runJob(server, 'ada', 'completed');
    await eventually(async () => {
      const rows = await emailAndInApp(job.id);
      return rows.email?.status === 'deferred' && rows.in_app?.status === 'deferred';
    }, 15_000, 'both held by quiet hours');
    return job;
  }

  it('a job muted while its notifications wait for the end of quiet hours: they are skipped, with the reason, and no mail is sent', async () => {
    const smtp = await new SmtpReceiver().start();
    afterTest(() => smtp.stop());
    const clock = movableClock(NIGHT);
    const job = await heldByQuietHours(smtp, clock);
    expect((await server!.request('PUT', `/v1/users/ada/muted-jobs/${job.id}`)).status).toBe(200);

    clock.set(MORNING);
    server!.headway.notifier.wake();
    const rows = await eventually(async () => {
      const found = await emailAndInApp(job.id);
      return found.email?.status === 'skipped' && found.in_app?.status === 'skipped' ? found : null;
    }, 15_000, 'both skipped');
    expect(rows.email!.lastError).toBe(`skipped: ada muted job ${job.id}`);
    expect(rows.email!.attempts).toBe(0);
    expect(smtp.mails).toHaveLength(0);
    // Skipped is final and listed by status; it is never unread.
    expect((await server!.request<Listed>('GET', '/v1/notifications?user=ada&status=skipped&type=job.completed')).body.items).toHaveLength(2);
    expect((await server!.request<{ count: number }>('GET', '/v1/notifications/unread-count?user=ada')).body.count).toBe(0);
    // Unmuting after the skip does not bring them back.
    await server!.request('DELETE', `/v1/users/ada/muted-jobs/${job.id}`);
    server!.headway.notifier.wake();
    await server!.headway.notifier.flush();
    expect((await emailAndInApp(job.id)).email!.status).toBe('skipped');
  });

  it('a job muted and unmuted before the end of quiet hours: the mail is sent when they end', async () => {
    const smtp = await new SmtpReceiver().start();
    afterTest(() => smtp.stop());
    const clock = movableClock(NIGHT);
    const job = await heldByQuietHours(smtp, clock);
    await server!.request('PUT', `/v1/users/ada/muted-jobs/${job.id}`);
    await server!.request('DELETE', `/v1/users/ada/muted-jobs/${job.id}`);

    clock.set(MORNING);
    server!.headway.notifier.wake();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toContain('Quarterly report');
    await eventually(async () => (await emailAndInApp(job.id)).email?.status === 'sent', 15_000, 'the email recorded as sent');
  });

  it('email switched off for the type while the completion waits: only the email is skipped', async () => {
    const smtp = await new SmtpReceiver().start();
    afterTest(() => smtp.stop());
    const clock = movableClock(NIGHT);
    const job = await heldByQuietHours(smtp, clock);
    await putPreferences(server!, 'ada', { timeZone: 'Europe/Paris', quietHours: { start: '22:00', end: '07:00' }, contacts: { email: 'ada@example.test' }, types: { 'job.completed': { channels: { email: false } } } });

    clock.set(MORNING);
    server!.headway.notifier.wake();
    const rows = await eventually(async () => {
      const found = await emailAndInApp(job.id);
      return found.email?.status === 'skipped' && found.in_app?.status === 'sent' ? found : null;
    }, 15_000, 'email skipped, in-app sent');
    expect(rows.email!.lastError).toBe('skipped: ada switched email off for job.completed');
    expect(smtp.mails).toHaveLength(0);
  });

  it('a webhook being retried stops once the user mutes the job: no request after the skip', async () => {
    const receiver = await new WebhookReceiver(SECRET).start();
    afterTest(() => receiver.stop());
    receiver.status = 503;
    server = await startNotifyServer();
    await putPreferences(server, 'ada', { contacts: { webhook: { url: receiver.url, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true } } } });
    const job = await runJob(server, 'ada', 'completed');
    await eventually(() => receiver.received.length >= 2, 15_000, 'two failed attempts');
    await server.request('PUT', `/v1/users/ada/muted-jobs/${job.id}`);

    const row = await eventually(async () => {
      const res = await server!.request<Listed>('GET', `/v1/notifications?user=ada&jobId=${job.id}&channel=webhook`);
      return res.body.items[0]?.status === 'skipped' ? res.body.items[0] : null;
    }, 15_000, 'the webhook skipped');
    expect(row.lastError).toBe(`skipped: ada muted job ${job.id}`);
    // Every request was one recorded attempt: none went out after the skip.
    expect(receiver.received).toHaveLength(row.attempts);
  });

  it('an hourly digest leaves out the jobs muted during its hour, and is skipped when all of them are', async () => {
    const smtp = await new SmtpReceiver().start();
    afterTest(() => smtp.stop());
    const clock = movableClock(Date.parse('2026-01-15T10:05:00Z'));
    server = await startNotifyServer({ smtpPort: smtp.port, now: clock.now });
    await putPreferences(server, 'ada', { contacts: { email: 'ada@example.test' }, types: { 'job.completed': { frequency: 'hourly' } } });
    await runJob(server, 'ada', 'completed', { title: 'Kept import' });
    const muted = await runJob(server, 'ada', 'completed', { title: 'Muted import' });
    await server.headway.notifier.flush();
    await server.request('PUT', `/v1/users/ada/muted-jobs/${muted.id}`);

    clock.set(Date.parse('2026-01-15T11:00:00Z'));
    server.headway.notifier.wake();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.raw).toContain('Kept import');
    expect(mail!.raw).not.toContain('Muted import');

    // The next hour: the only job in it is muted before the hour ends.
    const alone = await runJob(server, 'ada', 'completed', { title: 'Muted alone' });
    await server.headway.notifier.flush();
    await server.request('PUT', `/v1/users/ada/muted-jobs/${alone.id}`);
    clock.set(Date.parse('2026-01-15T12:00:00Z'));
    server.headway.notifier.wake();
    const skipped = await eventually(async () => {
      const res = await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=email&status=skipped');
      return res.body.items[0];
    }, 15_000, 'the second digest skipped');
    expect(skipped.lastError).toBe('skipped: ada muted the job of every item in this digest');
    expect(smtp.mails).toHaveLength(1);
  });
});
