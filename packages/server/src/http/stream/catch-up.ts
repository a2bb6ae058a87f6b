import type { Channel, Job, JobEvent, ServerMessage } from '@headway/protocol';
import type { Headway } from '../../headway.js';
import { SYSTEM } from '../../service/actor.js';
import type { ChannelAccess } from './channel-access.js';
import type { StreamOptions } from './options.js';

type Limits = Pick<StreamOptions, 'replayLimit' | 'snapshotPageSize'>;
export type StateMessage = Extract<ServerMessage, { type: 'snapshot' | 'resync' }>;

/** What a (re)subscribing client gets before live messages. */
export interface CatchUp {
  /** Missed durable events, oldest first (empty for a plain subscribe or a resync). */
  replayed: ServerMessage[];
  /** Position (seq, or cursor on many-job channels) the replay reached; live events after it follow. */
  replayedThrough: number;
  /**
   * The newest state, in pages of at most `snapshotPageSize` jobs sharing one `seq` (the resume
   * point); every page but the last says `more`. A resync's first page is the `resync`.
   */
  pages: StateMessage[];
}

export interface Snapshot {
  jobs: Job[];
  /** Resume point: the job's seq for `job:` channels, the event cursor otherwise. */
  seq: number;
}

/** Unfinished jobs read per store query while building a many-job snapshot. */
const READ_PAGE = 500;
/** Finished jobs added to a many-job snapshot, most recently updated first. */
const RECENT_FINISHED = 50;

/**
 * Current state of a channel. For many-job channels the cursor is read first, so nothing newer
 * is lost, then every unfinished job (paged by creation time, which never changes, so no job is
 * skipped or read twice while others progress) and the most recently updated finished ones.
 */
export async function snapshotOf(headway: Headway, access: ChannelAccess): Promise<Snapshot> {
  if (access.jobId !== undefined) {
    const job = await headway.jobs.get(access.jobId, SYSTEM);
    return { jobs: [job], seq: job.seq };
  }
  const seq = await headway.store.jobs.latestCursor();
  const byId = new Map<string, Job>();
  let cursor: string | undefined;
  do {
    const page = await headway.jobs.list({ status: 'queued,running,paused', owner: access.owner, limit: READ_PAGE, sort: '-createdAt', cursor }, SYSTEM);
    for (const job of page.items) if (access.includes(job)) byId.set(job.id, job);
    cursor = page.nextCursor ?? undefined;
    if (cursor) await new Promise((resolve) => setImmediate(resolve)); // thousands of jobs: let live traffic through between reads
  } while (cursor);
  const recent = await headway.jobs.list({ owner: access.owner, limit: RECENT_FINISHED, sort: '-updatedAt' }, SYSTEM);
  for (const job of recent.items) if (!byId.has(job.id) && access.includes(job)) byId.set(job.id, job);
  return { jobs: [...byId.values()], seq };
}

/** The state as wire messages of at most `pageSize` jobs each (always at least one message). */
export function pagesOf(channel: Channel, { jobs, seq }: Snapshot, pageSize: number, resyncReason?: string): StateMessage[] {
  const pages: StateMessage[] = [];
  for (let start = 0; start === 0 || start < jobs.length; start += pageSize) {
    const page = { channel, jobs: jobs.slice(start, start + pageSize), seq, ...(start + pageSize < jobs.length ? { more: true } : {}) };
    pages.push(start === 0 && resyncReason !== undefined ? { type: 'resync', ...page, reason: resyncReason } : { type: 'snapshot', ...page });
  }
  return pages;
}

/** A plain subscribe (no `after`), or a resync: the newest state only. */
export async function stateOnly(headway: Headway, access: ChannelAccess, limits: Limits, resyncReason?: string): Promise<CatchUp> {
  const snapshot = await snapshotOf(headway, access);
  return { replayed: [], replayedThrough: snapshot.seq, pages: pagesOf(access.channel, snapshot, limits.snapshotPageSize, resyncReason) };
}

/**
 * What a client resubscribing with `after` missed: the durable events, then the newest state;
 * or, when more was missed than can be replayed, an explicit resync. Never a silent partial set.
 * The caller is already subscribed to the bus, so events newer than the replay are not lost.
 */
export async function catchUp(headway: Headway, access: ChannelAccess, after: number, limits: Limits): Promise<CatchUp> {
  const { channel } = access;
  const tooMany = `more than ${limits.replayLimit} events were missed; replace your state with this snapshot`;
  const missed = await missedEvents(headway, access, after, limits.replayLimit + 1);
  if (missed.length > limits.replayLimit) return stateOnly(headway, access, limits, tooMany);
  let replayedThrough = positionAfter(access, missed, after);
  const snapshot = await snapshotOf(headway, access);
  if (after > snapshot.seq) {
    // A resume point this server never gave out (another database, a restored backup).
    const reason = `the resume point ${after} is ahead of this server's ${snapshot.seq}; replace your state with this snapshot`;
    return { replayed: [], replayedThrough: snapshot.seq, pages: pagesOf(channel, snapshot, limits.snapshotPageSize, reason) };
  }
  if (snapshot.seq > replayedThrough) {
    // Events committed between the two reads are in the snapshot, yet may not have reached this
    // node's bus when the subscription opens (another node's, or Redis's round trip): the client
    // asked for history, so read them too. Seen: a start missing from a watch through a node.
    const between = await missedEvents(headway, access, replayedThrough, limits.replayLimit + 1 - missed.length);
    const covered = between.filter((event) => positionOf(access, event) <= snapshot.seq);
    missed.push(...covered);
    if (missed.length > limits.replayLimit) return stateOnly(headway, access, limits, tooMany);
    replayedThrough = positionAfter(access, covered, replayedThrough);
  }
  const replayed: ServerMessage[] = missed.map((event) => ({ type: 'event', channel, jobId: event.jobId, seq: event.seq, ...(event.cursor !== undefined ? { cursor: event.cursor } : {}), event }));
  return { replayed, replayedThrough, pages: pagesOf(channel, snapshot, limits.snapshotPageSize) };
}

/** Durable events of the channel after `after` (a job seq, or a store cursor), oldest first. */
function missedEvents(headway: Headway, access: ChannelAccess, after: number, limit: number): Promise<JobEvent[]> {
  return access.jobId !== undefined ? headway.store.jobs.events(access.jobId, after, limit) : headway.store.jobs.eventsSince(after, limit, access.owner);
}

/** An event's position on the channel: its seq on a job channel, its store cursor otherwise. */
function positionOf(access: ChannelAccess, event: JobEvent): number {
  return access.jobId !== undefined ? event.seq : (event.cursor ?? Number.POSITIVE_INFINITY);
}

/** The position the channel reached after `events` (`from` when there are none). */
function positionAfter(access: ChannelAccess, events: JobEvent[], from: number): number {
  const last = events[events.length - 1];
  if (last === undefined) return from;
  return access.jobId !== undefined ? last.seq : (last.cursor ?? from);
}
