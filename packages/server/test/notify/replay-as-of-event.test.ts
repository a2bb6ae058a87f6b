import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { openStore } from '../../src/store/open.js';
import { eventually } from '../support/node.js';
import { restartedNodesPerTest } from './support/notify-server.js';
import { FlakyOutbox } from './support/flaky-outbox.js';

interface Listed {
  items: Array<{ type: string; status: string; text: string | null; data: { percent?: number; job: { status: string; percent: number; finishedAt: number | null } } }>;
}

describe('notifications replayed after a crash', () => {
  const nodes = restartedNodesPerTest();

  it('describe the job as it was at each event, not as it is at the restart', async () => {
    // The first node writes nothing to the outbox (as if killed right after the commits): the restart replays every event.
    const flaky = new FlakyOutbox(await openStore(nodes.db()));
    const first = await nodes.start(flaky.store);
    flaky.failWhen = () => true;
    const { jobs } = first.headway;
    const job = await jobs.create({ type: 'report.build', owner: 'ada', title: 'Quarterly report' }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await jobs.report(job.id, { percent: 30 }, SYSTEM);
    await jobs.report(job.id, { percent: 100 }, SYSTEM);
    await jobs.act(job.id, 'complete', {}, SYSTEM);
    await first.stop().catch(() => undefined);
    await flaky.close().catch(() => undefined);

    const restarted = await nodes.start();
    const items = await eventually(async () => {
      const res = await restarted.request<Listed>('GET', `/v1/notifications?jobId=${job.id}&channel=in_app&status=sent`);
      return res.body.items.length === 5 ? res.body.items : null;
    });
    const seen = items.map((n) => `${n.type}${n.data.percent === undefined ? '' : ` ${n.data.percent}`}: ${n.data.job.status} ${n.data.job.percent}%`).sort();
    expect(seen).toEqual([
      'job.completed: completed 100%',
      'job.milestone 25: running 25%',
      'job.milestone 50: running 50%',
      'job.milestone 75: running 75%',
      'job.started: running 0%',
    ]);
    const started = items.find((n) => n.type === 'job.started')!;
    expect(started.text).toContain(`Job ${job.id} (report.build) is running, 0% done.`);
    expect(started.data.job.finishedAt).toBeNull();
    expect(items.find((n) => n.data.percent === 25)!.text).toContain('is running, 25% done.');
  });
});
