import type { Config } from '../../src/config/config.js';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { FAST_NOTIFY } from '../notify/support/notify-server.js';

export const MINUTE = 60_000;

export interface Listed {
  items: Array<{ id: string; userId: string; type: string; channel: string; status: string; jobId: string | null; title: string | null; text: string | null }>;
}

/** A node whose clock the test moves, checking for alerts every 20 ms, with `ops` as operator. */
export async function startAlertServer(alerts: Partial<Config['alerts']> = {}, config: Partial<Config> = {}): Promise<{ server: TestServer; clock: { now: number } }> {
  const clock = { now: Date.UTC(2026, 0, 5, 12, 0, 0) };
  return { server: await alertNode(clock, alerts, { config }), clock };
}

/** The same node started again on `server`'s database (stop the old one first); close it before `server`. */
export function restartAlertServer(server: TestServer, clock: { now: number }, alerts: Partial<Config['alerts']> = {}): Promise<TestServer> {
  return alertNode(clock, alerts, { dbPath: server.dbPath, adminKey: server.adminKey });
}

function alertNode(clock: { now: number }, alerts: Partial<Config['alerts']>, more: { dbPath?: string; adminKey?: string; config?: Partial<Config> } = {}): Promise<TestServer> {
  const { config, ...same } = more;
  return startTestServer({
    config: { notify: FAST_NOTIFY as Config['notify'], alerts: { checkIntervalMs: 20, recipients: ['ops'], ...alerts } as Config['alerts'], ...config },
    headway: { now: () => clock.now },
    ...same,
  });
}

/** A check that read the clock after the caller moved it (the first call may join a round already under way). */
export async function checkNow(server: TestServer): Promise<string[]> {
  const first = await server.headway.alerts.check();
  const second = await server.headway.alerts.check();
  await server.headway.notifier.flush();
  return [...first.raised, ...second.raised];
}

/** In-app notifications of a type, once every queued one has been delivered. */
export async function inApp(server: TestServer, type: string): Promise<Listed['items']> {
  await server.headway.notifier.flush();
  server.headway.notifier.wake();
  return eventually(async () => {
    const all = await server.request<Listed>('GET', `/v1/notifications?type=${type}&channel=in_app&limit=500`);
    return all.body.items.every((n) => n.status === 'sent') ? all.body.items : null;
  });
}

/** A job of `type` (owner ada, one attempt) started, worked `workMs` on the test's clock, then completed or failed. */
export async function finishJob(server: TestServer, clock: { now: number }, type: string, to: 'complete' | 'fail', workMs = 0) {
  const job = await server.headway.jobs.create({ type, owner: 'ada', maxAttempts: 1 }, SYSTEM);
  await server.headway.jobs.act(job.id, 'start', {}, SYSTEM);
  clock.now += workMs;
  return server.headway.jobs.act(job.id, to, to === 'fail' ? { error: { message: 'boom', code: 'BOOM' } } : {}, SYSTEM);
}
