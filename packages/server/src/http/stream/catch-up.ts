import type { Channel, Job, JobEvent, ServerMessage } from '@headway/protocol';
import type { Headway } from '../../headway.js';
import { SYSTEM } from '../../service/actor.js';
import type { ChannelAccess } from './channel-access.js';

/** How much a resubscribing client may have missed before it is told to resync instead. */
export const REPLAY_LIMIT = 1_000;
const SNAPSHOT_LIMIT = 500;

export interface Snapshot {
  jobs: Job[];
  /** Resume point: the job's seq for `job:` channels, the event cursor otherwise. */
  seq: number;
}

/** Current state of a channel. For multi-job channels the cursor is read first, so nothing newer is lost. */
export async function snapshotOf(headway: Headway, access: ChannelAccess): Promise<Snapshot> {
  if (access.jobId !== undefined) {
    const job = await headway.jobs.get(access.jobId, SYSTEM);
    return { jobs: [job], seq: job.seq };
  }
  const seq = await headway.store.jobs.latestCursor();
  const active = await headway.jobs.list({ status: 'queued,running,paused', owner: access.owner, parentId: undefined, limit: SNAPSHOT_LIMIT, sort: '-updatedAt' }, SYSTEM);
  const recent = await headway.jobs.list({ owner: access.owner, limit: 50, sort: '-updatedAt' }, SYSTEM);
  const byId = new Map<string, Job>();
  for (const job of [...active.items, ...recent.items]) if (access.includes(job)) byId.set(job.id, job);
  return { jobs: [...byId.values()], seq };
}

/**
 * What a client resubscribing with `after` missed: the durable events, then the newest state;
 * or, when more was missed than can be replayed, an explicit resync with a snapshot. Never a
 * silent partial set.
 */
export async function catchUp(headway: Headway, access: ChannelAccess, after: number): Promise<{ messages: ServerMessage[]; seq: number }> {
  const channel: Channel = access.channel;
  const missed: JobEvent[] =
    access.jobId !== undefined
      ? await headway.store.jobs.events(access.jobId, after, REPLAY_LIMIT + 1)
      : (await headway.store.jobs.eventsSince(after, REPLAY_LIMIT + 1, access.owner)).filter((e) => e.jobId !== undefined);
  const snapshot = await snapshotOf(headway, access);
  if (missed.length > REPLAY_LIMIT) {
    return { messages: [{ type: 'resync', channel, jobs: snapshot.jobs, seq: snapshot.seq, reason: `more than ${REPLAY_LIMIT} events were missed` }], seq: snapshot.seq };
  }
  const visible = access.jobId !== undefined ? missed : await visibleEvents(headway, access, missed);
  const messages: ServerMessage[] = visible.map((event) => ({ type: 'event', channel, jobId: event.jobId, seq: event.seq, ...(event.cursor !== undefined ? { cursor: event.cursor } : {}), event }));
  messages.push({ type: 'snapshot', channel, jobs: snapshot.jobs, seq: snapshot.seq });
  return { messages, seq: snapshot.seq };
}

/** Multi-job channels: keep the events of jobs this channel includes (ownership checked per job). */
async function visibleEvents(headway: Headway, access: ChannelAccess, events: JobEvent[]): Promise<JobEvent[]> {
  const ids = [...new Set(events.map((e) => e.jobId))];
  const jobs = await headway.store.jobs.getMany(ids);
  const included = new Set(jobs.filter((j) => access.includes(j)).map((j) => j.id));
  return events.filter((e) => included.has(e.jobId));
}
