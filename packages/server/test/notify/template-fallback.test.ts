import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { FAST_NOTIFY, putPreferences } from './support/notify-server.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Listed {
  items: Array<{ type: string; status: string; title: string | null; text: string | null; lastError: string | null }>;
}

describe('a saved template that breaks on real data', () => {
  let server: TestServer;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
    // The webhook receiver listens on loopback, which webhook targets may not be unless allowed.
    server = await startTestServer({ config: { notify: { ...FAST_NOTIFY, webhookAllowedNetworks: ['loopback'] } as never }, headway: { logger } });
  });
  afterAll(() => server.close());

  it('is replaced by the built-in template for that type and channel, and the operator is warned', async () => {
    // Valid against the sample job (done = 240), far past the memory limit for a job with done = 100,000,000.
    const saved = await server.request('PUT', '/v1/notification-templates/job.completed/in_app', { body: { subject: 'Done', text: '{% for i in (1..job.done) %}.{% endfor %}' } });
    expect(saved.status).toBe(200);

    const { jobs } = server.headway;
    const job = await jobs.create({ type: 'import.rows', owner: 'ada', title: 'Big import', total: 100_000_000 }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await jobs.report(job.id, { done: 100_000_000, message: 'private note 7f3a' }, SYSTEM);
    await jobs.act(job.id, 'complete', {}, SYSTEM);

    const [note] = await eventually(async () => {
      const res = await server.request<Listed>('GET', `/v1/notifications?jobId=${job.id}&type=job.completed&channel=in_app`);
      return res.body.items.length === 1 && res.body.items[0]!.status !== 'queued' && res.body.items[0]!.status !== 'sending' ? res.body.items : null;
    });
    expect(note).toMatchObject({ status: 'sent', title: 'Big import finished', lastError: null });
    expect(note!.text).toContain(`Job ${job.id} (import.rows) is completed, 100% done.`);

    const warning = logLines.find((line) => typeof line.msg === 'string' && line.msg.startsWith('notify:template job.completed/in_app failed to render'));
    expect(warning).toMatchObject({ level: 40, templateType: 'job.completed', channel: 'in_app' });
    expect(String(warning!.reason)).toContain('memory alloc limit exceeded');
    // Names the template and the error, nothing of the job's data.
    expect(JSON.stringify(warning)).not.toContain('private note 7f3a');
    expect(JSON.stringify(warning)).not.toContain('Big import');
  });

  it('a webhook template whose JSON breaks on real data sends the built-in body, and the warning quotes none of the text', async () => {
    const receiver = await new WebhookReceiver(SECRET).start();
    try {
      await putPreferences(server, 'bob', { contacts: { webhook: { url: receiver.url, secret: SECRET } }, types: { 'job.completed': { channels: { webhook: true } } } });
      // Valid JSON for the sample job (done = 240); the job's message breaks it once done passes 1,000.
      const json = '{"title": {{ job.title | json }}{% if job.done > 1000 %}, {{ job.message }}{% endif %}}';
      expect((await server.request('PUT', '/v1/notification-templates/job.completed/webhook', { body: { json } })).status).toBe(200);
      const { jobs } = server.headway;
      const job = await jobs.create({ type: 'export.rows', owner: 'bob', title: 'Export', total: 5_000 }, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
      await jobs.report(job.id, { done: 5_000, message: 'token 9c2e' }, SYSTEM);
      await jobs.act(job.id, 'complete', {}, SYSTEM);

      const delivered = await eventually(() => receiver.received.find((r) => r.body.includes(job.id)));
      expect(delivered.verified).toBe(true);
      expect(JSON.parse(delivered.body)).toMatchObject({ type: 'job.completed', data: { job: { id: job.id, status: 'completed', title: 'Export' } } });
      const warning = logLines.find((line) => line.templateType === 'job.completed' && line.channel === 'webhook');
      expect(warning).toMatchObject({ level: 40, reason: 'template field "json" does not render valid JSON' });
      expect(JSON.stringify(warning)).not.toContain('token 9c2e');
    } finally {
      await receiver.stop();
    }
  });
});
