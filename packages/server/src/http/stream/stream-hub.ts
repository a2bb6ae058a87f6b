import type { Channel } from '@headway/protocol';
import type { Bus, BusMessage } from '../../bus/bus.js';
import type { ProgressInterest } from '../../service/jobs/progress-interest.js';
import { notificationOf } from './notifications.js';
import type { Outgoing } from './outbox.js';
import { outgoingOf, type Subscription } from './subscription.js';

/** What the hub can see of a connection: how far behind it is. */
interface TrackedConnection {
  readonly outbox: { readonly pending: number; readonly bufferedBytes: number };
}

/** How much the live connections of this node hold back, for tests and the system view. */
export interface StreamPressure {
  connections: number;
  channels: number;
  /** The largest outbound queue of one connection, in messages. */
  maxPendingMessages: number;
  /** The most bytes one connection's socket holds unsent. */
  maxBufferedBytes: number;
  /** Times a channel was dropped from a queue that fell too far behind (each gets a resync once drained). */
  overflows: number;
}

/** The subscriptions of the channels of one kind, keyed by what names the channel (a job id, a user id). */
type ChannelIndex = Map<string, Set<Subscription>>;

/**
 * Routes each bus message to the subscriptions of the channels it belongs to (its job, its
 * owner, and `jobs`) through channel indexes, so fan-out costs the interested subscribers only.
 * Job and user channels are found by the message's own id strings, not by a `job:<id>` built per
 * message: V8 keeps a string's hash, and hashing a fresh one cost 150 ns a lookup here.
 */
export class StreamHub {
  private readonly byJob: ChannelIndex = new Map();
  private readonly byUser: ChannelIndex = new Map();
  private readonly onAll = new Set<Subscription>();
  private readonly connections = new Set<TrackedConnection>();
  private readonly unsubscribe: () => void;
  private overflows = 0;

  private readonly stopAnswering: () => void;

  constructor(
    bus: Bus,
    private readonly interest?: ProgressInterest,
  ) {
    this.unsubscribe = bus.subscribe((message) => this.route(message));
    this.stopAnswering = interest?.addSource((jobId, owner) => this.follows(jobId, owner)) ?? (() => undefined);
  }

  /** Whether any subscription here may want this job's updates (access is checked when delivering). */
  follows(jobId: string, owner: string | null): boolean {
    return this.onAll.size > 0 || this.byJob.has(jobId) || (owner !== null && this.byUser.has(owner));
  }

  add(subscription: Subscription): void {
    const [index, key] = this.indexOf(subscription);
    if (!index) {
      if (this.onAll.size === 0) this.interest?.changed();
      this.onAll.add(subscription);
      return;
    }
    let set = index.get(key);
    if (!set) {
      index.set(key, (set = new Set()));
      this.interest?.changed();
    }
    set.add(subscription);
  }

  remove(subscription: Subscription): void {
    const [index, key] = this.indexOf(subscription);
    const set = index ? index.get(key) : this.onAll;
    if (!set?.delete(subscription) || set.size > 0) return;
    index?.delete(key);
    this.interest?.changed();
  }

  track(connection: TrackedConnection): void {
    this.connections.add(connection);
  }

  untrack(connection: TrackedConnection): void {
    this.connections.delete(connection);
  }

  countOverflow(): void {
    this.overflows++;
  }

  pressure(): StreamPressure {
    let maxPendingMessages = 0;
    let maxBufferedBytes = 0;
    for (const { outbox } of this.connections) {
      maxPendingMessages = Math.max(maxPendingMessages, outbox.pending);
      maxBufferedBytes = Math.max(maxBufferedBytes, outbox.bufferedBytes);
    }
    const channels = this.byJob.size + this.byUser.size + (this.onAll.size > 0 ? 1 : 0);
    return { connections: this.connections.size, channels, maxPendingMessages, maxBufferedBytes, overflows: this.overflows };
  }

  close(): void {
    this.unsubscribe();
    this.stopAnswering();
    this.byJob.clear();
    this.byUser.clear();
    this.onAll.clear();
    this.connections.clear();
  }

  /** The index a subscription's channel is kept in and its key there; no index for `jobs`. */
  private indexOf(subscription: Subscription): [ChannelIndex | null, string] {
    const { channel, jobId, owner } = subscription.access;
    if (jobId !== undefined) return [this.byJob, jobId];
    if (channel.startsWith('user:')) return [this.byUser, owner!];
    return [null, ''];
  }

  private route(message: BusMessage): void {
    if (message.type === 'progress') return this.routeJob(message, message.update.jobId, message.owner);
    if (message.type === 'event') return this.routeJob(message, message.job.id, message.job.owner);
    const notification = notificationOf(message);
    if (notification) for (const subscription of this.byUser.get(notification.userId) ?? []) subscription.deliver(message);
  }

  private routeJob(message: BusMessage, jobId: string, owner: string | null): void {
    const onJob = this.byJob.get(jobId);
    const onUser = owner !== null ? this.byUser.get(owner) : undefined;
    const onAll = this.onAll.size > 0 ? this.onAll : undefined;
    if (!onJob && !onUser && !onAll) return;
    const job = { id: jobId, owner };
    const several = (onJob ? 1 : 0) + (onUser ? 1 : 0) + (onAll ? 1 : 0) > 1;
    if (onJob) routeTo(onJob, message, job, several);
    if (onUser) routeTo(onUser, message, job, several);
    if (onAll) routeTo(onAll, message, job, several);
  }
}

/** One wire message per channel (all of `set` follow the same one), built on first need and shared by its subscribers. */
function routeTo(set: Set<Subscription>, message: BusMessage, job: { id: string; owner: string | null }, onSeveralChannels: boolean): void {
  let shared: Outgoing | undefined | null = null; // null: not built yet
  let channel: Channel | undefined;
  const share = () => (shared === null ? (shared = outgoingOf(message, channel!, onSeveralChannels)) : shared);
  for (const subscription of set) {
    if (!subscription.access.includes(job)) continue;
    channel ??= subscription.access.channel;
    subscription.deliver(message, share);
  }
}
