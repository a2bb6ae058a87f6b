import { describe, expect, it } from 'vitest';
import { mailingServerPerSuite, putPreferences, runJob } from './support/notify-server.js';

interface TemplateAnswer {
  type: string;
  channel: string;
  source: string;
  template: { subject?: string; text?: string; html?: string };
  overridden: string[];
  updatedAt?: number;
}

describe('a template override that sets some fields', () => {
  const { smtp, server: node } = mailingServerPerSuite();

  it('keeps the built-in text for the fields it leaves out', async () => {
    const saved = await node().request<{ preview: { subject: string; text: string | null; html: string | null } }>('PUT', '/v1/notification-templates/job.completed/email', {
      body: { subject: 'Ready: {{ job.title }}' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.preview.subject).toBe('Ready: Assemble "Launch <teaser>"');
    expect(saved.body.preview.text).toContain('Job 0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b (video.assemble) is completed, 100% done.');

    const inUse = await node().request<TemplateAnswer>('GET', '/v1/notification-templates/job.completed/email');
    expect(inUse.body.source).toBe('custom');
    expect(inUse.body.template.subject).toBe('Ready: {{ job.title }}');
    expect(inUse.body.template.text).toContain('{{ job.id }}');
    expect(inUse.body.template.html).toContain('<strong>');

    await putPreferences(node(), 'ada', { contacts: { email: 'ada@example.test' } });
    const job = await runJob(node(), 'ada', 'completed', { title: 'Import customers' });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Ready: Import customers');
    // Quoted-printable soft line breaks undone.
    const body = mail!.raw.replace(/=\r?\n/g, '');
    expect(body).toContain(`Job ${job.id} (report.build) is completed, 100% done.`);
    expect(body).toContain('Content-Type: text/html');
    expect(body).toContain('<p><strong>Import customers finished</strong></p>');
  });

  it('the list and the save show the template as sent (the override over the built-in fields) and name the overridden fields', async () => {
    const listed = async (type: string, channel: string) =>
      (await node().request<{ items: TemplateAnswer[] }>('GET', '/v1/notification-templates')).body.items.find((item) => item.type === type && item.channel === channel)!;
    const builtIn = await listed('job.failed', 'email');
    expect(builtIn).toMatchObject({ source: 'default', overridden: [] });
    expect(builtIn.template.text).toContain('{{ job.id }}');

    const override = { subject: 'Broken: {{ job.title }}', html: '<p>{{ job.error.message }}</p>' };
    const saved = await node().request<TemplateAnswer & { preview: unknown }>('PUT', '/v1/notification-templates/job.failed/email', { body: override });
    expect(saved.status).toBe(200);
    const { preview: _preview, ...savedInUse } = saved.body;
    const custom = await listed('job.failed', 'email');
    expect(custom).toMatchObject({ source: 'custom', template: { ...builtIn.template, ...override }, overridden: ['subject', 'html'] });
    expect(custom.updatedAt).toEqual(expect.any(Number));
    const { updatedAt: _, ...inUse } = custom;
    expect((await node().request<TemplateAnswer>('GET', '/v1/notification-templates/job.failed/email')).body).toEqual(inUse);
    expect(savedInUse).toEqual(inUse); // the save answers what will be sent, as GET does
  });

  it('a preview of a partial template sent in the request fills the rest from the built-in one', async () => {
    const preview = await node().request<{ rendered: { subject: string; text: string } }>('POST', '/v1/notification-templates/job.failed/in_app/preview', {
      body: { template: { subject: 'Failed: {{ job.title }}' } },
    });
    expect(preview.body.rendered.subject).toBe('Failed: Assemble "Launch <teaser>"');
    expect(preview.body.rendered.text).toContain('is failed, 72% done.');
  });
});
