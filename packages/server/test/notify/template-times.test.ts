import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { SmtpReceiver } from './support/smtp-receiver.js';
import { putPreferences, runJob, startNotifyServer } from './support/notify-server.js';

/** What the template below should print for `at` in `timeZone`: yyyy-mm-dd hh:mm. */
function wallClock(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

describe('times in templates', () => {
  const smtp = new SmtpReceiver();
  let server: TestServer;

  beforeAll(async () => {
    await smtp.start();
    server = await startNotifyServer({ smtpPort: smtp.port });
    const saved = await server.request('PUT', '/v1/notification-templates/job.completed/email', {
      body: { subject: 'Finished at {{ job.finishedAt | date: "%Y-%m-%d %H:%M %z" }}', text: 'Kolkata: {{ job.finishedAt | date: "%H:%M", "Asia/Kolkata" }}; you: {{ user.timeZone }}', html: '<p>{{ job.finishedAt | date_to_xmlschema }}</p>' },
    });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await smtp.stop();
  });

  it('a completion email shows the finish time in the recipient time zone', async () => {
    // Asia/Tokyo is UTC+09:00 all year, so the expected offset is fixed.
    await putPreferences(server, 'ada', { timeZone: 'Asia/Tokyo', contacts: { email: 'ada@example.test' } });
    const job = await runJob(server, 'ada', 'completed');
    const mail = (await smtp.waitFor(1)).find((m) => m.to.includes('ada@example.test'))!;
    expect(mail.subject).toBe(`Finished at ${wallClock(job.finishedAt!, 'Asia/Tokyo')} +0900`);
    // A zone named in the template wins over the recipient's.
    expect(mail.raw).toContain(`Kolkata: ${wallClock(job.finishedAt!, 'Asia/Kolkata').slice(11)}; you: Asia/Tokyo`);
    expect(mail.raw).toContain(`<p>${wallClock(job.finishedAt!, 'Asia/Tokyo').replace(' ', 'T')}:`);
  });

  it('a recipient without a time zone gets UTC', async () => {
    smtp.mails.length = 0;
    await putPreferences(server, 'bob', { contacts: { email: 'bob@example.test' } });
    const job = await runJob(server, 'bob', 'completed');
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe(`Finished at ${wallClock(job.finishedAt!, 'UTC')} +0000`);
  });

  it('a preview prints the sample job time (milliseconds read as such)', async () => {
    const preview = await server.request<{ rendered: { text: string } }>('POST', '/v1/notification-templates/job.completed/sms/preview', {
      body: { template: { text: '{{ at | date: "%Y-%m-%d %H:%M" }} / {{ job.createdAt | date: "%H:%M", "Europe/Paris" }}' } },
    });
    expect(preview.body.rendered.text).toBe('2026-01-15 09:30 / 09:30');
  });
});
