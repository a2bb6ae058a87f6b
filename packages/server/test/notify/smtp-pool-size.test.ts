import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { SmtpReceiver } from './support/smtp-receiver.js';
import { putPreferences, startNotifyServer } from './support/notify-server.js';

describe('the SMTP connection pool', () => {
  const smtp = new SmtpReceiver();
  let server: TestServer | undefined;

  afterAll(async () => {
    // The receiver first: it cuts the held connections, so the node's stop has no send left to wait for.
    await smtp.stop();
    await server?.close();
  });

  it('holds as many connections as email may send at once (notify.channelConcurrency)', async () => {
    await smtp.start();
    smtp.hold = true;
    server = await startNotifyServer({ smtpPort: smtp.port, notify: { channelConcurrency: 12, concurrency: 16 } });
    await putPreferences(server, 'ada', { contacts: { email: 'ada@example.test' } });
    const { jobs } = server.headway;
    for (let i = 0; i < 14; i++) {
      const job = await jobs.create({ type: 'report.build', owner: 'ada', title: `Report ${i}` }, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
      await jobs.act(job.id, 'complete', {}, SYSTEM);
    }
    // Each held mail keeps its connection busy: 12 held at once means 12 connections (the pool had 8).
    await eventually(async () => (smtp.heldCount === 12 ? true : null));
    expect(smtp.heldCount).toBe(12);
  });
});
