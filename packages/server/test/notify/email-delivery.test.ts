import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/node.js';
import { mailingServerPerSuite, putPreferences, runJob } from './support/notify-server.js';

interface Listed {
  items: Array<{ id: string; channel: string; type: string; status: string; attempts: number; history: Array<{ outcome: string; error: string | null }> }>;
}

describe('email delivery through the outbox', () => {
  const { smtp, server: node } = mailingServerPerSuite();
  afterEach(() => {
    smtp.mails.length = 0;
  });

  it('a completion mail arrives with the rendered (overridden) template', async () => {
    await putPreferences(node(), 'ada', { contacts: { email: 'ada@example.test' } });
    const saved = await node().request('PUT', '/v1/notification-templates/job.completed/email', {
      body: { subject: 'Done: {{ job.title }} ({{ job.done }} {{ job.unit | default: "items" }})', text: 'Hi {{ user.id }}, {{ job.title }} finished.', html: '<p>{{ job.title }} &amp; more</p>' },
    });
    expect(saved.status).toBe(200);
    const job = await runJob(node(), 'ada', 'completed', { title: 'Import <customers>' });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['ada@example.test']);
    expect(mail!.subject).toBe('Done: Import <customers> (0 items)');
    expect(mail!.raw).toContain('Hi ada, Import <customers> finished.');
    // HTML output is escaped: the title cannot inject markup.
    expect(mail!.raw).toContain('Import &lt;customers&gt;');
    const listed = await eventually(async () => {
      const res = await node().request<Listed>('GET', `/v1/notifications?user=ada&type=job.completed&status=sent`);
      return res.body.items.length === 2 ? res.body : null;
    });
    const email = listed.items.find((n) => n.channel === 'email')!;
    expect(mail!.notificationId).toBe(email.id);
    expect(email).toMatchObject({ attempts: 1, history: [{ outcome: 'sent', error: null }] });
    expect(listed.items.map((n) => n.channel).sort()).toEqual(['email', 'in_app']);
    expect(job.status).toBe('completed');
  });

  it('SMTP down: the mail is retried with backoff and delivered once when the server is back', async () => {
    await putPreferences(node(), 'bob', { contacts: { email: 'bob@example.test' } });
    await smtp.stop();
    await runJob(node(), 'bob', 'completed');
    const failing = await eventually(async () => {
      const res = await node().request<Listed>('GET', '/v1/notifications?user=bob&channel=email');
      const row = res.body.items[0];
      return row && row.attempts >= 2 && row.status === 'failed' ? row : null;
    });
    expect(failing.history.every((a) => a.outcome === 'failed' && a.error !== null)).toBe(true);
    await smtp.start();
    await smtp.waitFor(1);
    const sent = await eventually(async () => {
      const res = await node().request<Listed>('GET', '/v1/notifications?user=bob&channel=email&status=sent');
      return res.body.items[0];
    });
    expect(sent.history.at(-1)!.outcome).toBe('sent');
    expect(smtp.mails.filter((m) => m.notificationId === sent.id)).toHaveLength(1);
  });
});
