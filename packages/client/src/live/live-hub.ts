import { ERROR_CATALOGUE, HeadwayError, type Channel, type ErrorCode, type NotificationMessage } from '@headway/protocol';
import type { JobsApi } from '../http/jobs-api.js';
import type { Endpoint } from '../http/rest.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { ChannelState, type LiveMessage, type WatchUpdate } from './channel-state.js';
import { ConnectionStateStore, type TransportKind } from './connection-state.js';
import type { LivenessOptions } from './liveness.js';
import { PollTransport } from './poll-transport.js';
import { SseTransport } from './sse-transport.js';
import type { Transport, TransportClose, TransportHandlers } from './transport.js';
import { UpgradeProbe } from './upgrade-probe.js';
import { resolveWebSocket, WebSocketTransport, type WebSocketConstructor } from './ws-transport.js';

export interface LiveOptions {
  /** Transports to try, best first; the next is used when one is blocked while the server is up. */
  transports: TransportKind[];
  backoff: BackoffOptions;
  liveness: LivenessOptions;
  pollIntervalMs: number;
  /** Delays between tries of WebSocket while on a fallback that stays open; absent: no tries. */
  upgradeProbe?: BackoffOptions | null;
  WebSocket?: WebSocketConstructor;
  random?: () => number;
}

export interface Watcher {
  onUpdate(update: WatchUpdate): void;
  onError?(error: Error): void;
  /** An in-app notification pushed on this channel (only `user:` channels carry them). */
  onNotification?(notification: unknown): void;
}

interface Subscription {
  state: ChannelState;
  watchers: Set<Watcher>;
}

/**
 * A transport counts as blocked after this many failed opens, retried with backoff, while the
 * health check answers: one refused upgrade may be a proxy restarting, not a proxy that blocks.
 */
const BLOCKED_STRIKES = 3;

/**
 * All live channels of one client over one connection: shares a subscription between watchers
 * of the same channel, reconnects with backoff and resumes every channel from its last seq.
 */
export class LiveHub {
  readonly connection = new ConnectionStateStore();
  private readonly subs = new Map<Channel, Subscription>();
  private transport: Transport | null = null;
  private kindIndex = 0;
  private attempt = 0;
  private blockedStrikes = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** A transport is being made (loading `ws`); channels added meanwhile are subscribed when it exists. */
  private creatingGeneration: number | null = null;
  /** Bumped on every connect, disconnect and upgrade, so late callbacks of an old transport are ignored. */
  private generation = 0;
  private readonly upgrade: UpgradeProbe | null;

  constructor(private readonly endpoint: Endpoint, private readonly api: JobsApi, private readonly options: LiveOptions) {
    this.upgrade = options.upgradeProbe
      ? new UpgradeProbe({
          open: (handlers) => this.createTransport('websocket', handlers),
          opened: (transport, rebind) => this.upgraded(transport, rebind),
          backoff: options.upgradeProbe,
          random: options.random,
        })
      : null;
  }

  watch(channel: Channel, watcher: Watcher): () => void {
    let sub = this.subs.get(channel);
    if (!sub) {
      sub = { state: new ChannelState(channel), watchers: new Set() };
      this.subs.set(channel, sub);
      if (this.transport) this.transport.subscribe(channel, null);
      else if (!this.retryTimer && this.creatingGeneration !== this.generation) void this.connect();
    } else if (sub.state.current) {
      const current = sub.state.current;
      const joined = sub;
      queueMicrotask(() => joined.watchers.has(watcher) && deliver(() => watcher.onUpdate(current)));
    }
    sub.watchers.add(watcher);
    const owner = sub;
    return () => {
      owner.watchers.delete(watcher);
      if (owner.watchers.size > 0 || this.subs.get(channel) !== owner) return;
      this.subs.delete(channel);
      this.transport?.unsubscribe(channel);
      if (this.subs.size === 0) this.disconnect();
    };
  }

  /** Current local state of a channel someone watches. */
  current(channel: Channel): WatchUpdate | null {
    return this.subs.get(channel)?.state.current ?? null;
  }

  close(): void {
    this.subs.clear();
    this.disconnect();
  }

  private disconnect(): void {
    this.generation++;
    this.upgrade?.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.transport?.close();
    this.transport = null;
    this.attempt = 0;
    // The next watch may be on another network: it tries the best transport first again.
    this.kindIndex = 0;
    this.blockedStrikes = 0;
    this.connection.set({ status: 'closed', transport: null, attempt: 0, retryAt: null });
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    this.upgrade?.stop();
    const generation = ++this.generation;
    const kind = this.options.transports[this.kindIndex] ?? 'polling';
    const status = this.connection.get().status === 'closed' && this.attempt === 0 ? 'connecting' : 'reconnecting';
    this.connection.set({ status, transport: kind, retryAt: null });
    const handlers = this.handlersFor(generation);
    try {
      this.creatingGeneration = generation;
      const transport = await this.createTransport(kind, handlers).finally(() => {
        if (this.creatingGeneration === generation) this.creatingGeneration = null;
      });
      if (generation !== this.generation) return transport.close();
      this.transport = transport;
      for (const [channel, sub] of this.subs) transport.subscribe(channel, sub.state.subscribing());
    } catch (error) {
      if (generation === this.generation) await this.closed({ error: error instanceof Error ? error : new Error(String(error)), opened: false, fatal: false });
    }
  }

  /** Callbacks of the transport of `generation`; they go quiet once another connection replaced it. */
  private handlersFor(generation: number): TransportHandlers {
    return {
      onOpen: () => generation === this.generation && this.opened(),
      onMessage: (message) => generation === this.generation && this.route(message),
      onClose: (info) => {
        if (generation !== this.generation) return;
        this.transport = null;
        void this.closed(info);
      },
    };
  }

  private async createTransport(kind: TransportKind, handlers: TransportHandlers): Promise<Transport> {
    switch (kind) {
      case 'websocket':
        return new WebSocketTransport(this.endpoint, await resolveWebSocket(this.options.WebSocket), handlers, this.options.liveness);
      case 'sse':
        return new SseTransport(this.endpoint, handlers, this.options.liveness.sseSilenceMs);
      case 'polling': {
        const { longPollTimeoutMs, pollRequestTimeoutMs } = this.options.liveness;
        return new PollTransport(this.api, handlers, { intervalMs: this.options.pollIntervalMs, longPollTimeoutMs, requestTimeoutMs: pollRequestTimeoutMs });
      }
    }
  }

  private opened(): void {
    this.attempt = 0;
    this.blockedStrikes = 0;
    this.connection.set({ status: 'open', attempt: 0, retryAt: null, lastError: null });
    // A fallback that never drops would otherwise keep the client off WebSocket for good.
    const best = this.options.transports.indexOf('websocket');
    if (best >= 0 && best < this.kindIndex) this.upgrade?.start();
  }

  /**
   * A WebSocket probe opened beside the fallback: every channel moves to it, resuming from its
   * last seq or cursor. The fallback's callbacks stop here (the generation moves on), so nothing
   * it still had in flight reaches a watcher; the WebSocket replays it, and ChannelState drops
   * what was delivered already. The connection stays open throughout: only the transport changes.
   */
  private upgraded(transport: Transport, rebind: (handlers: TransportHandlers) => void): void {
    const fallback = this.transport;
    if (!fallback || this.subs.size === 0) return transport.close();
    const generation = ++this.generation;
    rebind(this.handlersFor(generation));
    this.transport = transport;
    fallback.close();
    this.kindIndex = this.options.transports.indexOf(transport.kind);
    this.attempt = 0;
    this.blockedStrikes = 0;
    for (const [channel, sub] of this.subs) transport.subscribe(channel, sub.state.subscribing());
    this.connection.set({ status: 'open', transport: transport.kind, attempt: 0, retryAt: null, lastError: null });
  }

  private async closed(info: TransportClose): Promise<void> {
    this.upgrade?.stop();
    if (this.subs.size === 0) return this.disconnect();
    if (info.fatal) {
      const error = info.error ?? new HeadwayError('UNAUTHORIZED', 'the server rejected the token');
      for (const sub of this.subs.values()) for (const watcher of sub.watchers) deliver(() => watcher.onError?.(error));
      this.subs.clear();
      this.disconnect();
      this.connection.set({ lastError: error });
      return;
    }
    const backoffStep = await this.pickTransport(info.opened);
    if (backoffStep === null) return;
    const delayMs = backoffDelayMs(backoffStep, this.options.backoff, this.options.random);
    this.attempt++;
    this.connection.set({ status: 'reconnecting', attempt: this.attempt, retryAt: Date.now() + delayMs, lastError: info.error });
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
  }

  /**
   * Picks the transport of the next attempt and answers the backoff step to wait by (null: the
   * hub moved on meanwhile). A transport that never opens while the API answers is blocked (a
   * proxy, a firewall): its retries back off by its own strikes, and the next one starts afresh.
   */
  private async pickTransport(opened: boolean): Promise<number | null> {
    if (opened) {
      // A fallback that worked has dropped: the network may pass the best transport again.
      this.kindIndex = 0;
      this.blockedStrikes = 0;
      return this.attempt;
    }
    if (this.kindIndex >= this.options.transports.length - 1) return this.attempt;
    const generation = this.generation;
    const healthy = await this.api.health().then(() => true, () => false);
    if (generation !== this.generation) return null;
    if (!healthy) return this.attempt;
    if (++this.blockedStrikes < BLOCKED_STRIKES) return this.blockedStrikes - 1;
    this.kindIndex++;
    this.blockedStrikes = 0;
    return 0;
  }

  private route(message: LiveMessage): void {
    if (message.type === 'error') return this.channelError(message.channel, new HeadwayError(asCode(message.code), message.message));
    if (message.type === 'notification') return this.notification(message);
    if (message.type === 'pong') return; // a liveness answer; the transport already took it
    const sub = this.subs.get(message.channel);
    const update = sub?.state.apply(message);
    if (!sub || !update) return;
    for (const watcher of [...sub.watchers]) deliver(() => watcher.onUpdate(update));
  }

  /** Notifications are not channel state: they go straight to the watchers that want them. */
  private notification(message: NotificationMessage): void {
    const sub = this.subs.get(message.channel);
    if (!sub) return;
    for (const watcher of [...sub.watchers]) if (watcher.onNotification) deliver(() => watcher.onNotification?.(message.notification));
  }

  /** The server refused one channel (not found, not yours): its watchers hear why and it is dropped. */
  private channelError(channel: Channel | undefined, error: HeadwayError): void {
    const targets = channel ? [channel] : [...this.subs.keys()];
    for (const target of targets) {
      const sub = this.subs.get(target);
      if (!sub) continue;
      if (channel) {
        this.subs.delete(target);
        this.transport?.unsubscribe(target);
      }
      for (const watcher of sub.watchers) deliver(() => watcher.onError?.(error));
    }
    if (this.subs.size === 0) this.disconnect();
  }
}

function asCode(code: string): ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code) ? (code as ErrorCode) : 'INTERNAL';
}

/** A watcher that throws must not break delivery to the others; its error still surfaces. */
function deliver(call: () => void): void {
  try {
    call();
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}
