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

/**
 * Routes each bus message to the subscriptions of the channels it belongs to (its job, its
 * owner, and `jobs`) through a channel index, so fan-out costs the interested subscribers only.
 */
export class StreamHub {
  private readonly byChannel = new Map<string, Set<Subscription>>();
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
    return this.byChannel.has('jobs') || this.byChannel.has(`job:${jobId}`) || (owner !== null && this.byChannel.has(`user:${owner}`));
  }

  add(subscription: Subscription): void {
    const key = subscription.access.channel;
    let set = this.byChannel.get(key);
    if (!set) {
      this.byChannel.set(key, (set = new Set()));
      this.interest?.changed();
    }
    set.add(subscription);
  }

  remove(subscription: Subscription): void {
    const set = this.byChannel.get(subscription.access.channel);
    set?.delete(subscription);
    if (set?.size === 0) {
      this.byChannel.delete(subscription.access.channel);
      this.interest?.changed();
    }
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
    return { connections: this.connections.size, channels: this.byChannel.size, maxPendingMessages, maxBufferedBytes, overflows: this.overflows };
  }

  close(): void {
    this.unsubscribe();
    this.stopAnswering();
    this.byChannel.clear();
    this.connections.clear();
  }

  private route(message: BusMessage): void {
    const notification = notificationOf(message);
    if (notification) {
      for (const subscription of this.byChannel.get(`user:${notification.userId}`) ?? []) subscription.deliver(message);
      return;
    }
    const target = targetOf(message);
    if (!target) return;
    const job = { id: target.jobId, owner: target.owner };
    const jobChannel = `job:${target.jobId}`;
    const userChannel = target.owner !== null ? `user:${target.owner}` : null;
    const onJob = this.byChannel.get(jobChannel);
    const onUser = userChannel !== null ? this.byChannel.get(userChannel) : undefined;
    const onAll = this.byChannel.get('jobs');
    const several = (onJob ? 1 : 0) + (onUser ? 1 : 0) + (onAll ? 1 : 0) > 1;
    if (onJob) this.routeTo(jobChannel, onJob, message, job, several);
    if (onUser) this.routeTo(userChannel!, onUser, message, job, several);
    if (onAll) this.routeTo('jobs', onAll, message, job, several);
  }

  /** One wire message per channel, built on first need and shared by all its subscribers. */
  private routeTo(channel: string, set: Set<Subscription>, message: BusMessage, job: { id: string; owner: string | null }, onSeveralChannels: boolean): void {
    let shared: Outgoing | undefined | null = null; // null: not built yet
    const share = () => (shared === null ? (shared = outgoingOf(message, channel as Channel, onSeveralChannels)) : shared);
    for (const subscription of set) if (subscription.access.includes(job)) subscription.deliver(message, share);
  }
}

function targetOf(message: BusMessage): { jobId: string; owner: string | null } | null {
  if (message.type === 'event') return { jobId: message.job.id, owner: message.job.owner };
  if (message.type === 'progress') return { jobId: message.update.jobId, owner: message.owner };
  return null;
}
