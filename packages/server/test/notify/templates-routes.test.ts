import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUserToken, TOKEN_SECRET } from '../http/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface ErrorAnswer {
  error: { code: string; message: string; details?: { field: string; line: number | null; reason: string } };
}

describe('notification templates', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET } });
  });
  afterAll(() => server.close());

  const put = (path: string, body: unknown, token?: string) => server.request<ErrorAnswer & Record<string, unknown>>('PUT', `/v1/notification-templates/${path}`, { body, ...(token ? { token } : {}) });

  it('rejects a template that tries to read a file, with the line and the reason', async () => {
    const res = await put('job.completed/email', { subject: 'ok', text: 'Hello\n{% include "/etc/passwd" %}' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('TEMPLATE_INVALID');
    expect(res.body.error.details).toMatchObject({ field: 'text', line: 2 });
    expect(res.body.error.message).toContain('tag "include" is not allowed');
    for (const tag of ['{% render "secrets" %}', '{% layout "base" %}']) {
      const other = await put('job.completed/email', { html: `<p>{{ job.title }}</p>\n\n${tag}` });
      expect(other.body.error).toMatchObject({ code: 'TEMPLATE_INVALID', details: { field: 'html', line: 3 } });
    }
  });

  it('rejects a template that tries to run code or call an unknown filter', async () => {
    const code = await put('job.failed/sms', { text: '{{ job.constructor.constructor("return process")() }}' });
    expect(code.body.error).toMatchObject({ code: 'TEMPLATE_INVALID', details: { field: 'text', line: 1 } });
    const filter = await put('job.failed/sms', { text: 'x {{ job.title | eval }}' });
    expect(filter.body.error.code).toBe('TEMPLATE_INVALID');
    expect(filter.body.error.message).toContain('undefined filter: eval');
    // Reading prototype members gives nothing: only own properties are visible.
    const preview = await server.request<{ rendered: { text: string } }>('POST', '/v1/notification-templates/job.failed/sms/preview', {
      body: { template: { text: '[{{ job.constructor }}][{{ job.title.constructor }}][{{ job.__proto__ }}]' } },
    });
    expect(preview.body.rendered.text).toBe('[][][]');
  });

  it('rejects a webhook template that does not render JSON, and fields a channel does not have', async () => {
    const broken = await put('job.completed/webhook', { json: '{"title": {{ job.title }}}' });
    expect(broken.body.error.code).toBe('TEMPLATE_INVALID');
    expect(broken.body.error.message).toContain('json filter');
    const wrongField = await put('job.completed/sms', { subject: 'no subjects in SMS' });
    expect(wrongField.body.error.message).toContain('its fields are text');
  });

  it('saves an override, previews it against the sample job, and goes back to the default', async () => {
    const saved = await put('job.milestone/in_app', { subject: '{{ job.title }}: {{ percent }}%', text: '{{ job.done }}/{{ job.total }} {{ job.unit }}' });
    expect(saved.status).toBe(200);
    const preview = await server.request<{ rendered: { subject: string; text: string } }>('POST', '/v1/notification-templates/job.milestone/in_app/preview', { body: {} });
    expect(preview.body.rendered).toMatchObject({ subject: 'Assemble "Launch <teaser>": 50%', text: '240/240 shots' });
    const read = await server.request<{ source: string }>('GET', '/v1/notification-templates/job.milestone/in_app');
    expect(read.body.source).toBe('custom');
    expect((await server.request('DELETE', '/v1/notification-templates/job.milestone/in_app')).status).toBe(204);
    expect((await server.request<{ source: string }>('GET', '/v1/notification-templates/job.milestone/in_app')).body.source).toBe('default');
  });

  it('escapes job data in HTML email previews', async () => {
    const preview = await server.request<{ rendered: { html: string; subject: string } }>('POST', '/v1/notification-templates/job.completed/email/preview', { body: {} });
    expect(preview.body.rendered.html).toContain('Assemble &#34;Launch &lt;teaser&gt;&#34;');
    expect(preview.body.rendered.subject).toBe('Assemble "Launch <teaser>" finished');
  });

  it('user tokens cannot change templates', async () => {
    const token = await signUserToken('ada', Math.floor(Date.now() / 1000) + 600);
    const res = await put('job.completed/email', { subject: 'x' }, token);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});
