import { HeadwayError, type Channel, type ServerMessage } from '@headway/protocol';
import type { Headway } from '../../headway.js';
import type { Actor } from '../../service/actor.js';
import { catchUp, snapshotOf } from './catch-up.js';
import { authorizeChannel } from './channel-access.js';
import { Outbox, type Transport } from './outbox.js';
import type { StreamHub } from './stream-hub.js';
import { Subscription } from './subscription.js';

const MAX_CHANNELS_PER_CONNECTION = 1_000;

/** One live client (WebSocket or SSE): its channels, its outbox, its identity. */
export class StreamConnection {
  private readonly subscriptions = new Map<Channel, Subscription>();
  readonly outbox: Outbox;

  constructor(
    private readonly headway: Headway,
    private readonly hub: StreamHub,
    private readonly actor: Actor,
    transport: Transport,
  ) {
    this.outbox = new Outbox(transport, (channels) => {
      for (const channel of channels) void this.resync(channel, 'the connection fell too far behind');
    });
  }

  /** Authorizes, then answers a snapshot (or the missed events and the newest state), then live messages. */
  async subscribe(rawChannel: unknown, after: unknown): Promise<void> {
    try {
      if (after !== undefined && (typeof after !== 'number' || !Number.isInteger(after) || after < 0)) {
        throw new HeadwayError('VALIDATION_FAILED', '"after" must be a non-negative integer (the last seq or cursor you received)');
      }
      if (this.subscriptions.size >= MAX_CHANNELS_PER_CONNECTION) throw new HeadwayError('RATE_LIMITED', `at most ${MAX_CHANNELS_PER_CONNECTION} channels per connection`);
      const access = await authorizeChannel(this.headway, this.actor, rawChannel);
      this.unsubscribe(access.channel);
      const subscription = new Subscription(access, (m) => this.outbox.push(m));
      this.subscriptions.set(access.channel, subscription);
      this.hub.add(subscription); // before reading the store: nothing can fall between
      if (after === undefined) {
        const snapshot = await snapshotOf(this.headway, access);
        this.outbox.push({ type: 'snapshot', channel: access.channel, jobs: snapshot.jobs, seq: snapshot.seq });
        subscription.open(snapshot.seq);
      } else {
        const { messages, seq } = await catchUp(this.headway, access, after);
        for (const message of messages) this.outbox.push(message);
        subscription.open(seq);
      }
    } catch (error) {
      this.pushError(error, typeof rawChannel === 'string' ? (rawChannel as Channel) : undefined);
    }
  }

  unsubscribe(channel: Channel): void {
    const existing = this.subscriptions.get(channel);
    if (!existing) return;
    this.hub.remove(existing);
    this.subscriptions.delete(channel);
  }

  close(): void {
    for (const channel of [...this.subscriptions.keys()]) this.unsubscribe(channel);
    this.outbox.close();
  }

  pushError(error: unknown, channel?: Channel): void {
    const known = error instanceof HeadwayError ? error : null;
    if (!known) this.headway.logger.error({ err: error, channel }, 'stream:subscribe failed');
    const message: ServerMessage = { type: 'error', ...(channel ? { channel } : {}), code: known?.code ?? 'INTERNAL', message: known?.message ?? 'internal error' };
    this.outbox.push(message);
  }

  /** Replaces what the client has with a fresh snapshot (after an overflow). */
  private async resync(channel: Channel, reason: string): Promise<void> {
    const subscription = this.subscriptions.get(channel);
    if (!subscription) return;
    this.unsubscribe(channel);
    const fresh = new Subscription(subscription.access, (m) => this.outbox.push(m));
    this.subscriptions.set(channel, fresh);
    this.hub.add(fresh);
    try {
      const snapshot = await snapshotOf(this.headway, subscription.access);
      this.outbox.push({ type: 'resync', channel, jobs: snapshot.jobs, seq: snapshot.seq, reason });
      fresh.open(snapshot.seq);
    } catch (error) {
      this.pushError(error, channel);
    }
  }
}
