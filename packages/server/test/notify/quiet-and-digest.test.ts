import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { eventually } from '../support/node.js';
import { SmtpReceiver } from './support/smtp-receiver.js';
import { putPreferences, runJob, startNotifyServer } from './support/notify-server.js';

/** A clock the test moves: real time plus an offset, so timers and leases still advance. */
function movableClock(startAt: number) {
  let offset = startAt - Date.now();
  return { now: () => Date.now() + offset, set: (at: number) => void (offset = at - Date.now()) };
}

interface Listed {
  items: Array<{ id: string; channel: string; status: string; dueAt: number; type: string }>;
}

describe('quiet hours and digests', () => {
  const smtp = new SmtpReceiver();
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await smtp.stop();
    smtp.mails.length = 0;
  });

  it('a completion during quiet hours is deferred to their end in the user zone, then delivered', async () => {
    await smtp.start();
    const clock = movableClock(Date.parse('2026-01-15T22:30:00Z')); // 23:30 in Paris
    server = await startNotifyServer({ smtpPort: smtp.port, now: clock.now });
    await putPreferences(server, 'ada', { timeZone: 'Europe/Paris', quietHours: { start: '22:00', end: '07:00' }, contacts: { email: 'ada@example.test' } });
    await runJob(server, 'ada', 'completed');
    const deferred = await eventually(async () => {
      const res = await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=email&status=deferred');
      return res.body.items[0];
    });
    expect(deferred.dueAt).toBe(Date.parse('2026-01-16T06:00:00Z'));
    expect(smtp.mails).toHaveLength(0);
    clock.set(Date.parse('2026-01-16T06:00:01Z'));
    await smtp.waitFor(1);
    // The mail reaches the receiver a moment before the node records it as sent.
    await eventually(async () => {
      const sent = await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=email');
      return sent.body.items.length === 1 && sent.body.items[0]!.status === 'sent';
    }, 15_000, 'the notification recorded as sent');
  });

  it('a failure breaks through quiet hours', async () => {
    await smtp.start();
    const clock = movableClock(Date.parse('2026-01-15T22:30:00Z'));
    server = await startNotifyServer({ smtpPort: smtp.port, now: clock.now });
    await putPreferences(server, 'ada', { timeZone: 'Europe/Paris', quietHours: { start: '22:00', end: '07:00' }, contacts: { email: 'ada@example.test' } });
    await runJob(server, 'ada', 'failed');
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toContain('failed: Import failed at row 40,112');
  });

  it('an hourly digest gathers 50 completions into one mail when the hour ends', async () => {
    await smtp.start();
    const clock = movableClock(Date.parse('2026-01-15T10:05:00Z'));
    server = await startNotifyServer({ smtpPort: smtp.port, now: clock.now });
    await putPreferences(server, 'ada', { contacts: { email: 'ada@example.test' }, types: { 'job.completed': { frequency: 'hourly' } } });
    for (let i = 0; i < 50; i++) await runJob(server, 'ada', 'completed', { title: `Import part ${i + 1}` });
    await server.headway.notifier.flush();
    // In-app stays immediate; the email waits for the end of the hour.
    await eventually(async () => (await server!.request<Listed>('GET', '/v1/notifications?user=ada&channel=in_app&type=job.completed&status=sent&limit=100')).body.items.length === 50);
    expect(smtp.mails).toHaveLength(0);
    clock.set(Date.parse('2026-01-15T11:00:00Z'));
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('50 job.completed notifications');
    for (const part of [1, 25, 50]) expect(mail!.raw).toContain(`Import part ${part} (job.completed, completed)`);
    const emails = await server.request<Listed>('GET', '/v1/notifications?user=ada&channel=email');
    expect(emails.body.items).toHaveLength(1);
    // A later round finds nothing more to send: the digest was closed with its message.
    server.headway.notifier.wake();
    await server.headway.notifier.flush();
    expect(smtp.mails).toHaveLength(1);
  });
});
