import { HeadwayError, type Channel, type ServerMessage } from '@headway/protocol';
import type { Headway } from '../../headway.js';
import type { Actor } from '../../service/actor.js';
import { catchUp, stateOnly } from './catch-up.js';
import { authorizeChannel, type ChannelAccess } from './channel-access.js';
import type { StreamOptions } from './options.js';
import { Outbox, outgoing, type Transport } from './outbox.js';
import type { StreamHub } from './stream-hub.js';
import { Subscription } from './subscription.js';

export interface StreamConnectionDeps {
  headway: Headway;
  hub: StreamHub;
  options: StreamOptions;
  transport: Transport;
  /** Resolves the connection's token again: a revoked key or an expired user token cannot subscribe. */
  identify: () => Promise<Actor>;
  /** The token no longer holds (the WebSocket closes with 4401); without it, an error message is sent. */
  onUnauthorized?: (error: HeadwayError) => void;
}

/** One live client (WebSocket or SSE): its channels and its outbox. */
export class StreamConnection {
  private readonly subscriptions = new Map<Channel, Subscription>();
  /** Channels whose queue overflowed: fed nothing until the socket drains, then resynced. */
  private readonly lagging = new Map<Channel, ChannelAccess>();
  readonly outbox: Outbox;
  private closed = false;

  constructor(private readonly deps: StreamConnectionDeps) {
    this.outbox = new Outbox(deps.transport, deps.options, (channels) => this.fellBehind(channels));
    deps.hub.track(this);
  }

  /** Authorizes (again, on every subscribe), then answers the catch-up, then live messages. */
  async subscribe(rawChannel: unknown, after: unknown): Promise<void> {
    const channel = typeof rawChannel === 'string' ? (rawChannel as Channel) : undefined;
    try {
      if (after !== undefined && (typeof after !== 'number' || !Number.isInteger(after) || after < 0)) {
        throw new HeadwayError('VALIDATION_FAILED', '"after" must be a non-negative integer: the last seq (job channels) or cursor (user and jobs channels) you received');
      }
      const { maxChannelsPerConnection } = this.deps.options;
      if (channel === undefined || !this.subscriptions.has(channel)) {
        if (this.subscriptions.size >= maxChannelsPerConnection) throw new HeadwayError('RATE_LIMITED', `at most ${maxChannelsPerConnection} channels per connection; unsubscribe from some first`);
      }
      const actor = await this.deps.identify();
      const access = await authorizeChannel(this.deps.headway, actor, rawChannel);
      await this.follow(access, after);
    } catch (error) {
      if (error instanceof HeadwayError && error.code === 'UNAUTHORIZED' && this.deps.onUnauthorized) return this.deps.onUnauthorized(error);
      this.pushError(error, channel);
    }
  }

  /** Joins the bus for an authorized channel, then reads the store: nothing can fall between. */
  async follow(access: ChannelAccess, after: number | undefined, resyncReason?: string): Promise<void> {
    if (this.closed) return;
    this.unsubscribe(access.channel);
    const subscription = new Subscription(access, (message) => this.outbox.push(message));
    this.subscriptions.set(access.channel, subscription);
    this.deps.hub.add(subscription);
    const { headway, options } = this.deps;
    try {
      const caughtUp = after === undefined ? await stateOnly(headway, access, options, resyncReason) : await catchUp(headway, access, after, options);
      // The client may have unsubscribed or subscribed again while the store was read.
      if (this.subscriptions.get(access.channel) === subscription) subscription.open(caughtUp);
    } catch (error) {
      if (this.subscriptions.get(access.channel) === subscription) this.detach(access.channel);
      throw error;
    }
  }

  unsubscribe(channel: Channel): void {
    this.lagging.delete(channel);
    this.detach(channel);
  }

  close(): void {
    this.closed = true;
    for (const channel of [...this.subscriptions.keys()]) this.detach(channel);
    this.lagging.clear();
    this.outbox.close();
    this.deps.hub.untrack(this);
  }

  /** Answers a client's liveness check, behind whatever is queued before it (as any answer). */
  pong(): void {
    this.outbox.push(outgoing({ type: 'pong' }));
  }

  pushError(error: unknown, channel?: Channel): void {
    const known = error instanceof HeadwayError ? error : null;
    if (!known) this.deps.headway.logger.error({ err: error, channel }, 'stream:subscribe failed');
    const message: ServerMessage = { type: 'error', ...(channel ? { channel } : {}), code: known?.code ?? 'INTERNAL', message: known?.message ?? 'internal error' };
    this.outbox.push(outgoing(message));
  }

  private detach(channel: Channel): void {
    const existing = this.subscriptions.get(channel);
    if (!existing) return;
    this.deps.hub.remove(existing);
    this.subscriptions.delete(channel);
  }

  /** Stops feeding a peer that is not reading; once its socket drains it gets fresh snapshots. */
  private fellBehind(channels: Channel[]): void {
    for (const channel of channels) {
      const subscription = this.subscriptions.get(channel);
      if (!subscription) continue;
      this.detach(channel);
      this.lagging.set(channel, subscription.access);
      this.deps.hub.countOverflow();
    }
    this.outbox.whenDrained(() => this.resyncLagging());
  }

  private resyncLagging(): void {
    for (const [channel, access] of [...this.lagging]) {
      this.lagging.delete(channel);
      const reason = 'this connection fell too far behind; replace your state with this snapshot';
      this.follow(access, undefined, reason).catch((error: unknown) => this.pushError(error, channel));
    }
  }
}
