import type { Job } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { openStore } from '../../src/store/open.js';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { restartedNodesPerTest, runJob } from './support/notify-server.js';
import { FlakyOutbox } from './support/flaky-outbox.js';

interface Listed {
  items: Array<{ type: string; jobId: string; status: string }>;
}

/** A job's transition to `to`: its store-wide cursor and its seq (part of the notification keys). */
async function transitionOf(server: TestServer, jobId: string, to: string): Promise<{ cursor: number; seq: number }> {
  const events = await server.headway.store.jobs.events(jobId, 0, 100);
  const event = events.find((e) => e.kind === 'transition' && e.to === to);
  if (event?.cursor === undefined) throw new Error(`job ${jobId} has no transition to ${to}`);
  return { cursor: event.cursor, seq: event.seq };
}

async function cursorOf(server: TestServer, jobId: string, to: string): Promise<number> {
  return (await transitionOf(server, jobId, to)).cursor;
}

async function inAppOf(server: TestServer, job: Job, type: string): Promise<Listed['items']> {
  const res = await server.request<Listed>('GET', `/v1/notifications?jobId=${job.id}&type=${type}&channel=in_app`);
  return res.body.items;
}

describe('an outbox write that fails', () => {
  const nodes = restartedNodesPerTest();
  const start = (flaky?: FlakyOutbox) => nodes.start(flaky?.store);

  it('is written again in order: the acknowledged completion is notified, and the cursor never passes it before that, across a restart', async () => {
    const flaky = new FlakyOutbox(await openStore(nodes.db()));
    // The transaction holding the first job's completion fails once (the repro: another process held the write lock).
    let failed = false;
    flaky.failWhen = (rows) => !failed && rows.some((n) => n.type === 'job.completed' && n.userId === 'ada') && (failed = true);
    const first = await start(flaky);
    const completed = await runJob(first, 'ada', 'completed', { title: 'Lost once' });
    await eventually(() => flaky.failures === 1, 15_000, 'the injected failure');
    // Work goes on after the failure: a second job's events are enqueued behind the failed ones.
    const second = await first.headway.jobs.create({ type: 'report.build', owner: 'ada', title: 'Next' }, SYSTEM);
    await first.headway.jobs.act(second.id, 'start', {}, SYSTEM);
    await first.headway.notifier.flush();

    const completion = await transitionOf(first, completed.id, 'completed');
    const completionKey = `${completed.id}:${completion.seq}|ada|in_app`;
    // The first committed write that saved a cursor at or past the completion carried it, or came after the one that did.
    const carried = flaky.committed.findIndex((w) => w.keys.includes(completionKey));
    const firstPast = flaky.committed.findIndex((w) => w.cursor !== undefined && w.cursor >= completion.cursor);
    expect(carried).toBeGreaterThanOrEqual(0);
    expect(firstPast).toBeGreaterThanOrEqual(carried);
    expect(await first.headway.store.notifications.savedCursor()).toBeGreaterThanOrEqual(await cursorOf(first, second.id, 'running'));
    await first.stop();

    // After a restart (replaying from the saved cursor) the completion is there, exactly once.
    const restarted = await start();
    await restarted.headway.notifier.flush();
    const notes = await eventually(async () => {
      const items = await inAppOf(restarted, completed, 'job.completed');
      return items.length > 0 && items.every((n) => n.status === 'sent') ? items : null;
    });
    expect(notes).toHaveLength(1);
    expect(flaky.failures).toBe(1);
  });

  it('while it keeps failing the saved cursor stays before the unwritten events, and a restart replays them', async () => {
    const flaky = new FlakyOutbox(await openStore(nodes.db()));
    const first = await start(flaky);
    const before = await first.headway.store.notifications.savedCursor();
    expect(before).not.toBeNull();
    // From here on every outbox write fails, as while the database is unreachable.
    flaky.failWhen = () => true;
    const job = await runJob(first, 'ada', 'completed', { title: 'Written after restart' });
    await eventually(() => flaky.failures >= 2, 15_000, 'two failed writes (a retry)');
    expect(await first.headway.store.notifications.savedCursor()).toBe(before);
    // Stopping cannot write them either; the node stops anyway and the store is closed by hand.
    await first.stop().catch(() => undefined);
    await flaky.close().catch(() => undefined);

    const restarted = await start();
    const types = await eventually(async () => {
      const res = await restarted.request<Listed>('GET', `/v1/notifications?jobId=${job.id}&channel=in_app&status=sent`);
      const found = res.body.items.map((n) => n.type).sort();
      return found.length === 2 ? found : null;
    });
    expect(types).toEqual(['job.completed', 'job.started']);
    expect(await restarted.headway.store.notifications.savedCursor()).toBeGreaterThanOrEqual(await cursorOf(restarted, job.id, 'completed'));
  });
});
