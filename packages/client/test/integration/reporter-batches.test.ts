import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '@headway/protocol';
import { createClient, type HeadwayClient } from '../../src/index.js';
import { startLiveServer, type LiveServer } from '../support/live-server.js';
import { recordingFetch, type SentRequest } from '../support/recording-fetch.js';

/** What each POST /v1/progress carried, and how the server answered it. */
const batches = (sent: SentRequest[]) =>
  sent.filter((request) => request.path === '/v1/progress').map((request) => ({ status: request.status, items: (JSON.parse(request.body) as unknown[]).length, bytes: Buffer.byteLength(request.body) }));

describe("progress batches stay within the server's limits", () => {
  let server: LiveServer;
  let admin: HeadwayClient;
  let worker: HeadwayClient;
  afterEach(async () => {
    admin.close();
    worker.close();
    await server.close();
  });

  async function start(config: { bodyLimitBytes?: number } = {}): Promise<SentRequest[]> {
    server = await startLiveServer({ config });
    admin = createClient({ url: server.url, token: server.adminKey });
    const recorder = recordingFetch();
    worker = createClient({ url: server.url, token: server.adminKey, fetch: recorder.fetch });
    return recorder.sent;
  }

  it('the first reports of 5,001 jobs go in requests of at most 5,000 items, and every job starts', async () => {
    const sent = await start();
    const parent = await admin.createJob({ type: 'batch-limits', children: Array.from({ length: 5_001 }, () => ({ type: 'batch-limits.child' })) });
    const children: Job[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await admin.listJobs({ parentId: parent.id, limit: 500, ...(cursor ? { cursor } : {}) });
      children.push(...page.items);
      if (!(cursor = page.nextCursor)) break;
    }
    const reporters = children.map((child) => worker.report(child.id));
    for (const reporter of reporters) reporter.progress(1);
    await Promise.all(reporters.map((reporter) => reporter.flush()));
    const requests = batches(sent);
    expect(requests.every(({ status, items }) => status === 200 && items <= 5_000)).toBe(true);
    expect(sent.filter((request) => request.path.endsWith('progress')).length).toBe(2);
    expect(reporters.every((reporter) => reporter.lastSeq !== null && reporter.lastError === null)).toBe(true);
    expect((await admin.getJob(children[5_000]!.id)).status).toBe('running');
  });

  it('a backlog of 1.2 MB goes in several requests under the 1 MiB body limit, in order, and all of it lands', async () => {
    const sent = await start();
    const job = await admin.createJob({ type: 'batch-limits' });
    const reporter = worker.report(job.id, { throttleMs: 60_000 });
    for (let i = 1; i <= 1_200; i++) {
      reporter.step(`step-${i % 150}`); // a job has at most 200 steps: 150 names, each run eight times
      reporter.message(`${i} `.padEnd(950, 'm'));
    }
    await reporter.flush();
    const requests = batches(sent);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every(({ status, bytes }) => status === 200 && bytes <= 1_048_576)).toBe(true);
    const after = await admin.getJob(job.id);
    expect(after.steps.length).toBe(150);
    expect(after.currentStep).toBe(`step-${1_200 % 150}`);
    expect(after.message?.startsWith('1200 ')).toBe(true);
  });

  it('a server with a lower body limit answers 413 once: the batch is halved until it fits, and later batches fit at once', async () => {
    const sent = await start({ bodyLimitBytes: 16_384 });
    const jobs = await Promise.all(Array.from({ length: 40 }, () => admin.createJob({ type: 'batch-limits' })));
    const reporters = jobs.map((job) => worker.report(job.id, { throttleMs: 10 }));
    for (const round of [1, 2]) {
      reporters.forEach((reporter, i) => reporter.message(`round ${round} of job ${i} `.padEnd(900, '.')));
      await Promise.all(reporters.map((reporter) => reporter.flush()));
    }
    const statuses = batches(sent).map(({ status }) => status);
    expect(statuses.filter((status) => status === 413).length).toBeGreaterThanOrEqual(1);
    expect(statuses.slice(statuses.lastIndexOf(413) + 1).every((status) => status === 200)).toBe(true);
    const roundTwo = sent.slice(sent.findIndex((request) => request.body.includes('round 2')));
    expect(roundTwo.every((request) => request.status === 200)).toBe(true);
    const messages = await Promise.all(jobs.map(async (job) => (await admin.getJob(job.id)).message));
    expect(messages.every((message, i) => message?.startsWith(`round 2 of job ${i} `))).toBe(true);
  });
});
