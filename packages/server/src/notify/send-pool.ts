import type { NotificationRecord } from '../store/notification-store.js';
import type { Preferences } from './preferences/schema.js';
import type { ChannelName } from './types.js';

/** Channels that answer at once (a row update, a log line): not counted against the network limit. */
const LOCAL_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>(['in_app', 'log']);

export interface SendLimits {
  /** Network sends in flight over all channels. */
  concurrency: number;
  /** Sends in flight per channel; as many more may wait for a slot. */
  channelConcurrency: number;
}

export interface ClaimedRow {
  row: NotificationRecord;
  prefs: Preferences | undefined;
  claimedAt: number;
}

/**
 * The sends in flight, bounded overall and per channel, and the few claimed rows waiting for a
 * slot of their channel. Sends are not awaited by the dispatch round, so a hung webhook holds one
 * slot of its channel, never the others' notifications.
 */
export class SendPool {
  private readonly running = new Map<ChannelName, number>();
  private networkRunning = 0;
  private readonly waiting = new Map<ChannelName, ClaimedRow[]>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly limits: SendLimits,
    private readonly channels: readonly ChannelName[],
    private readonly send: (claimed: ClaimedRow) => Promise<void>,
    /** After each send: its slot is free, so the dispatcher may claim more. */
    private readonly onSettled: () => void,
  ) {}

  /** Rows a claim can take now: free slots plus free waiting places of every channel. */
  capacity(): number {
    const { channelConcurrency } = this.limits;
    return this.channels.reduce((sum, channel) => sum + Math.max(0, 2 * channelConcurrency - (this.running.get(channel) ?? 0) - this.queue(channel).length), 0);
  }

  /** Starts the row, or queues it behind its channel's sends; false when that queue is full too. */
  offer(claimed: ClaimedRow): boolean {
    const channel = claimed.row.channel;
    if (this.canStart(channel)) {
      this.start(claimed);
      return true;
    }
    const queue = this.queue(channel);
    if (queue.length >= this.limits.channelConcurrency) return false;
    queue.push(claimed);
    return true;
  }

  /** Removes and returns the waiting rows claimed before `claimedBefore` (their lease is running out). */
  takeStale(claimedBefore: number): ClaimedRow[] {
    const stale: ClaimedRow[] = [];
    for (const [channel, queue] of this.waiting) {
      const kept = queue.filter((c) => c.claimedAt >= claimedBefore);
      stale.push(...queue.filter((c) => c.claimedAt < claimedBefore));
      this.waiting.set(channel, kept);
    }
    return stale;
  }

  takeAllWaiting(): ClaimedRow[] {
    const all = [...this.waiting.values()].flat();
    this.waiting.clear();
    return all;
  }

  /** Resolves once no send is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private canStart(channel: ChannelName): boolean {
    if ((this.running.get(channel) ?? 0) >= this.limits.channelConcurrency) return false;
    return LOCAL_CHANNELS.has(channel) || this.networkRunning < this.limits.concurrency;
  }

  private start(claimed: ClaimedRow): void {
    const channel = claimed.row.channel;
    const local = LOCAL_CHANNELS.has(channel);
    this.running.set(channel, (this.running.get(channel) ?? 0) + 1);
    if (!local) this.networkRunning++;
    // `send` records every outcome and logs its own failures; it does not reject.
    const sending: Promise<void> = this.send(claimed).finally(() => {
      this.running.set(channel, (this.running.get(channel) ?? 1) - 1);
      if (!local) this.networkRunning--;
      this.inFlight.delete(sending);
      this.pump();
      this.onSettled();
    });
    this.inFlight.add(sending);
  }

  /** Starts waiting rows whose channel (or the network limit) has room again. */
  private pump(): void {
    for (const [channel, queue] of this.waiting) {
      while (queue.length > 0 && this.canStart(channel)) this.start(queue.shift()!);
    }
  }

  private queue(channel: ChannelName): ClaimedRow[] {
    let queue = this.waiting.get(channel);
    if (!queue) this.waiting.set(channel, (queue = []));
    return queue;
  }
}
