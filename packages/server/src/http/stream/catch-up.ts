import type { Job, JobEvent, ServerMessage } from '@headway/protocol';
import type { Headway } from '../../headway.js';
import { SYSTEM } from '../../service/actor.js';
import type { ChannelAccess } from './channel-access.js';
import type { StreamOptions } from './options.js';

type Limits = Pick<StreamOptions, 'replayLimit' | 'snapshotLimit'>;
export type StateMessage = Extract<ServerMessage, { type: 'snapshot' | 'resync' }>;

/** What a (re)subscribing client gets before live messages. */
export interface CatchUp {
  /** Missed durable events, oldest first (empty for a plain subscribe or a resync). */
  replayed: ServerMessage[];
  /** Position (seq, or cursor on many-job channels) the replay reached; live events after it follow. */
  replayedThrough: number;
  /** The newest state; its `seq` is the resume point. */
  state: StateMessage;
}

export interface Snapshot {
  jobs: Job[];
  /** Resume point: the job's seq for `job:` channels, the event cursor otherwise. */
  seq: number;
}

/** Current state of a channel. For many-job channels the cursor is read first, so nothing newer is lost. */
export async function snapshotOf(headway: Headway, access: ChannelAccess, limits: Limits): Promise<Snapshot> {
  if (access.jobId !== undefined) {
    const job = await headway.jobs.get(access.jobId, SYSTEM);
    return { jobs: [job], seq: job.seq };
  }
  const seq = await headway.store.jobs.latestCursor();
  const unfinished = await headway.jobs.list({ status: 'queued,running,paused', owner: access.owner, limit: limits.snapshotLimit, sort: '-updatedAt' }, SYSTEM);
  const recent = await headway.jobs.list({ owner: access.owner, limit: 50, sort: '-updatedAt' }, SYSTEM);
  const byId = new Map<string, Job>();
  for (const job of [...unfinished.items, ...recent.items]) if (access.includes(job)) byId.set(job.id, job);
  return { jobs: [...byId.values()], seq };
}

/** A plain subscribe (no `after`), or a resync: the newest state only. */
export async function stateOnly(headway: Headway, access: ChannelAccess, limits: Limits, resyncReason?: string): Promise<CatchUp> {
  const { jobs, seq } = await snapshotOf(headway, access, limits);
  const state: StateMessage = resyncReason === undefined ? { type: 'snapshot', channel: access.channel, jobs, seq } : { type: 'resync', channel: access.channel, jobs, seq, reason: resyncReason };
  return { replayed: [], replayedThrough: seq, state };
}

/**
 * What a client resubscribing with `after` missed: the durable events, then the newest state;
 * or, when more was missed than can be replayed, an explicit resync. Never a silent partial set.
 * The caller is already subscribed to the bus, so events newer than the replay are not lost.
 */
export async function catchUp(headway: Headway, access: ChannelAccess, after: number, limits: Limits): Promise<CatchUp> {
  const { channel } = access;
  const single = access.jobId !== undefined;
  const missed: JobEvent[] = single
    ? await headway.store.jobs.events(access.jobId!, after, limits.replayLimit + 1)
    : await headway.store.jobs.eventsSince(after, limits.replayLimit + 1, access.owner);
  if (missed.length > limits.replayLimit) {
    return stateOnly(headway, access, limits, `more than ${limits.replayLimit} events were missed; replace your state with this snapshot`);
  }
  const last = missed[missed.length - 1];
  const replayedThrough = last === undefined ? after : single ? last.seq : (last.cursor ?? after);
  const replayed: ServerMessage[] = missed.map((event) => ({ type: 'event', channel, jobId: event.jobId, seq: event.seq, ...(event.cursor !== undefined ? { cursor: event.cursor } : {}), event }));
  const { jobs, seq } = await snapshotOf(headway, access, limits);
  if (after > seq) {
    // A resume point this server never gave out (another database, a restored backup).
    const reason = `the resume point ${after} is ahead of this server's ${seq}; replace your state with this snapshot`;
    return { replayed: [], replayedThrough: seq, state: { type: 'resync', channel, jobs, seq, reason } };
  }
  return { replayed, replayedThrough, state: { type: 'snapshot', channel, jobs, seq } };
}
