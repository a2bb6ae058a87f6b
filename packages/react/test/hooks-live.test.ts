import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { HeadwayClient } from '@headway/client';
// The real server the client talks to; the client package's test helper starts it.
import { liveServerPerSuite } from '../../client/test/support/live-server.js';
import { waitFor } from '../../client/test/support/wait.js';
import { HeadwayProvider, useConnectionState, useJob, useJobs, watchStoreFor, WatchStore } from '../src/index.js';

function JobLine(props: { id: string }) {
  const job = useJob(props.id);
  const connection = useConnectionState();
  return createElement('p', null, job ? `${job.title}: ${job.status} ${job.percent.toFixed(0)}% (${connection.status})` : 'loading');
}

function JobList(props: { client: HeadwayClient }) {
  const jobs = useJobs(props.client, { type: 'react-list', sort: 'createdAt' });
  return createElement('ul', null, jobs.map((job) => createElement('li', { key: job.id }, job.title)));
}

describe('react hooks over live watches', () => {
  const live = liveServerPerSuite();

  it('the store under useJob publishes live updates at most once per frame', async () => {
    const client = live.admin;
    const job = await client.createJob({ type: 'react', title: 'Render me', total: 1000 });
    const frames: Array<() => void> = [];
    const store = new WatchStore(client, job.id, (callback) => frames.push(callback));
    let notified = 0;
    const unsubscribe = store.subscribe(() => notified++);
    const runFrame = () => frames.shift()?.();

    await waitFor('a frame with the snapshot', () => frames.length > 0);
    expect(store.getSnapshot().update).toBeNull();
    runFrame();
    expect(store.getSnapshot().update?.job?.status).toBe('queued');
    expect(notified).toBe(1);

    // Many updates arrive before the next frame: one notification, with the newest state.
    await client.reportProgress(job.id, { done: 100 });
    await client.reportProgress(job.id, { done: 200, message: 'halfway-ish' });
    await client.act(job.id, 'pause');
    await waitFor('the pause to arrive', () => client.watched(job.id)?.job?.control === 'pause');
    expect(frames.length).toBe(1);
    runFrame();
    expect(notified).toBe(2);
    expect(store.getSnapshot().update?.job).toMatchObject({ done: 200, control: 'pause' });
    unsubscribe();
  });

  it('useJob and useJobs render the live state (under a provider, and with an explicit client)', async () => {
    const client = live.admin;
    const first = await client.createJob({ type: 'react-list', title: 'First' });
    await client.createJob({ type: 'react-list', title: 'Second' });
    const job = await client.createJob({ type: 'react', title: 'Video', total: 10 });
    const jobStore = watchStoreFor(client, job.id);
    const listStore = watchStoreFor(client, 'jobs');
    const stops = [jobStore.subscribe(() => {}), listStore.subscribe(() => {})];
    await client.reportProgress(job.id, { done: 4 });
    await waitFor('40% published', () => jobStore.getSnapshot().update?.job?.percent === 40);
    await waitFor('both list jobs published', () => listStore.getSnapshot().update?.jobs.filter((j) => j.type === 'react-list').length === 2);

    const html = renderToString(createElement(HeadwayProvider, { client }, createElement(JobLine, { id: job.id }), createElement(JobList, { client })));
    expect(html).toContain('Video: running 40% (open)');
    expect(html).toContain('<li>First</li><li>Second</li>');
    expect(first.title).toBe('First');
    for (const stop of stops) stop();
  });

  it('a hook outside a provider without a client says how to fix it', () => {
    expect(() => renderToString(createElement(JobLine, { id: 'x' }))).toThrow(/HeadwayProvider/);
  });
});
