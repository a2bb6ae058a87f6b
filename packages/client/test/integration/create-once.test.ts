import { afterAll, describe, expect, it } from 'vitest';
import { createClient, HeadwayNetworkError, type FetchLike, type Job } from '../../src/index.js';
import { startLiveServer, type LiveServer } from '../support/live-server.js';

/** Creates the job type's jobs as the server lists them. */
async function jobsOfType(server: LiveServer, type: string): Promise<Job[]> {
  const client = createClient({ url: server.url, token: server.adminKey });
  return (await client.listJobs({ type, limit: 100 })).items;
}

/** fetch, recording each send's Idempotency-Key; `loseAnswer(n)` true makes send n reach the server but its answer never arrive. */
function recordingFetch(loseAnswer: (n: number) => boolean = () => false) {
  const keys: Array<string | undefined> = [];
  const fetchLike: FetchLike = async (input, init) => {
    keys.push((init?.headers as Record<string, string> | undefined)?.['idempotency-key']);
    const response = await fetch(input, init);
    if (!loseAnswer(keys.length)) return response;
    await response.text(); // applied on the server; the connection then fails before the client reads it
    throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
  };
  return { keys, fetch: fetchLike };
}

describe('createJob sends at most one job, whatever the network does', () => {
  const servers: LiveServer[] = [];
  afterAll(async () => {
    for (const server of servers.reverse()) await server.close();
  });

  /** A node started and stopped (its file and port kept for a restart), and a client of it whose sends are recorded. */
  async function clientOfStoppedServer() {
    const server = await startLiveServer();
    servers.push(server);
    await server.stop();
    const recording = recordingFetch();
    const client = createClient({ url: server.url, token: server.adminKey, fetch: recording.fetch });
    return { server, recording, client };
  }

  it('an answer lost after the server created the job: the SDK sends it again with the same key and gets that job, not a second one', async () => {
    const server = await startLiveServer();
    servers.push(server);
    const recording = recordingFetch((n) => n === 1);
    const client = createClient({ url: server.url, token: server.adminKey, fetch: recording.fetch });
    const job = await client.createJob({ type: 'sdk.lost-answer', total: 300, unit: 'files' });
    expect(recording.keys).toHaveLength(2);
    expect(recording.keys[0]).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(recording.keys[1]).toBe(recording.keys[0]);
    expect((await jobsOfType(server, 'sdk.lost-answer')).map((j) => j.id)).toEqual([job.id]);
  });

  it('a key of the caller\'s own: a worker that restarts and creates the same job again gets the first one back', async () => {
    const server = await startLiveServer();
    servers.push(server);
    const before = createClient({ url: server.url, token: server.adminKey });
    const first = await before.createJob({ type: 'sdk.own-key', title: 'Order 17' }, { idempotencyKey: 'order-17' });
    await before.start(first.id);
    const afterRestart = createClient({ url: server.url, token: server.adminKey });
    const again = await afterRestart.createJob({ type: 'sdk.own-key', title: 'Order 17' }, { idempotencyKey: 'order-17' });
    expect(again).toMatchObject({ id: first.id, status: 'running' });
    const other = await afterRestart.createJob({ type: 'sdk.own-key', title: 'Order 18' });
    expect(other.id).not.toBe(first.id);
    expect(await jobsOfType(server, 'sdk.own-key')).toHaveLength(2);
  });

  it('a server restarting while the job is created: the SDK keeps sending for a few seconds and the job is created once', async () => {
    const { server: first, recording, client } = await clientOfStoppedServer();
    const creating = client.createJob({ type: 'sdk.restart' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await startLiveServer({ dbPath: first.dbPath, port: first.port, adminKey: first.adminKey });
    servers.push(second);
    const job = await creating;
    expect(recording.keys.length).toBeGreaterThan(1); // refused while the node was down
    expect(new Set(recording.keys).size).toBe(1);
    expect((await jobsOfType(second, 'sdk.restart')).map((j) => j.id)).toEqual([job.id]);
  });

  it('no answer at all for seconds: createJob gives up with a HeadwayNetworkError after five sends', async () => {
    const { recording, client } = await clientOfStoppedServer();
    await expect(client.createJob({ type: 'sdk.gone' })).rejects.toBeInstanceOf(HeadwayNetworkError);
    expect(recording.keys).toHaveLength(5);
  });

  it('an abort stops the resends at once', async () => {
    const { recording, client } = await clientOfStoppedServer();
    const abort = new AbortController();
    const creating = client.createJob({ type: 'sdk.aborted' }, { signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    abort.abort(new Error('the user left'));
    await expect(creating).rejects.toThrow('the user left');
    const sends = recording.keys.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(recording.keys).toHaveLength(sends);
  });
});
