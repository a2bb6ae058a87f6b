import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { eventually } from '../support/node.js';
import { dropTestDb, freshTestDb } from '../support/test-db.js';
import { SmtpReceiver } from './support/smtp-receiver.js';

const NODE = join(import.meta.dirname, 'fixtures', 'notify-node.ts');
const TOTAL = 100;
const BEFORE_KILL = 40;

function startNode(dbPath: string, smtpPort: number, children: ChildProcess[]): Promise<ChildProcess> {
  const child = fork(NODE, [dbPath, String(smtpPort)], { execArgv: ['--conditions=headway-src', '--import', 'tsx'], stdio: 'ignore' });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`notify node exited early with ${code}`)));
  });
}

/** 100 completion emails written to the outbox, as the enqueuer would have, before any node sends. */
async function seedOutbox(store: Store): Promise<void> {
  await store.migrate();
  const now = Date.now();
  await store.notifications.updatePreferences('ada', (defaults) => ({ ...defaults, contacts: { email: 'ada@example.test', phone: null, webhook: null } }), now);
  const notifications = Array.from({ length: TOTAL }, (_, i) => ({
    id: `n-${String(i).padStart(3, '0')}`,
    key: `job-${i}:3|ada|email`,
    userId: 'ada',
    type: 'job.completed',
    channel: 'email' as const,
    jobId: `job-${i}`,
    urgent: false,
    data: { type: 'job.completed', at: now, job: null },
    dueAt: now,
  }));
  await store.notifications.enqueue({ notifications, digestItems: [] }, now);
}

describe('crash safety of the outbox', () => {
  const children: ChildProcess[] = [];
  const smtp = new SmtpReceiver();
  let dir: string | undefined;
  let dbPath: string | undefined;

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await smtp.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (dbPath) await dropTestDb(dbPath);
  });

  it('a node killed with SIGKILL with 100 notifications in the outbox: after a restart all are delivered exactly once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'headway-notify-crash-'));
    dbPath = freshTestDb(dir);
    const seeding = await openStore(dbPath);
    await seedOutbox(seeding);
    await seeding.close();

    // The SMTP server accepts 40 mails, then keeps the next ones unanswered: those are in flight when the node dies.
    smtp.holdAfter = BEFORE_KILL;
    await smtp.start();
    const observer = await openStore(dbPath);
    try {
      const first = await startNode(dbPath, smtp.port, children);
      await smtp.waitFor(BEFORE_KILL);
      await eventually(() => smtp.heldCount > 0, 15_000, 'a mail in flight');
      // Kill only once the node has recorded every mail the server confirmed: what is left is unconfirmed.
      await eventually(async () => (await observer.notifications.countByStatus()).sent === BEFORE_KILL, 15_000, '40 sends recorded');
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const atCrash = await observer.notifications.countByStatus();
      expect(atCrash.sending).toBeGreaterThan(0);
      expect(atCrash.sent).toBe(BEFORE_KILL);

      await smtp.stop();
      smtp.hold = false;
      smtp.holdAfter = undefined;
      await smtp.start();
      await startNode(dbPath, smtp.port, children);
      await smtp.waitFor(TOTAL, 30_000);
      await eventually(async () => (await observer.notifications.countByStatus()).sent === TOTAL, 15_000, 'all sent');

      const perId = new Map<string, number>();
      for (const mail of smtp.mails) perId.set(mail.notificationId, (perId.get(mail.notificationId) ?? 0) + 1);
      expect(perId.size).toBe(TOTAL);
      expect([...perId.values()].every((n) => n === 1)).toBe(true);
      expect(smtp.mails).toHaveLength(TOTAL);
    } finally {
      await observer.close();
    }
  });
});
