import { HeadwayError } from '@headway/protocol';
import { Redis } from 'ioredis';
import type { Bus, BusMessage } from './bus.js';
import { JobSequencer } from './job-sequencer.js';
import { BatchedPublisher } from './batched-publisher.js';
import { decodeMessages, encodeMessages, isFromNode, newNodeTag } from './wire-format.js';

/** Messages per Redis message at most: bounds what one receiver decodes in one go (a few ms). */
const MAX_MESSAGES_PER_PUBLISH = 1_000;

export interface RedisBusOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Channel prefix, so deployments (and tests) can share one Redis. */
  prefix: string;
  /** Listener failures and connection errors; delivery to other listeners goes on. */
  onError: (error: unknown, context: 'listener' | 'publish' | 'connection' | 'message') => void;
  /** Waits at most this long for the first connection (default 10 s). */
  connectTimeoutMs?: number;
  /** How long an event waits for a predecessor published by another node (default 1 s). */
  gapWaitMs?: number;
  /** What this node publishes goes to Redis at most once per this window (default 5 ms; see BatchedPublisher). */
  publishWindowMs?: number;
}

/**
 * Fans bus messages out to every node over Redis pub/sub: one connection publishes, one
 * subscribes to `<prefix>:bus`. A node delivers its own messages to its listeners at once and
 * ignores their echo from Redis, so each message reaches each listener once. One channel keeps
 * each publisher's order; the sequencer restores per-job order between publishers.
 *
 * What a node publishes goes to Redis in batches (BatchedPublisher: one announcement pass of
 * hundreds of jobs, or all of a few milliseconds under load, is one Redis message), each job's
 * progress conflated to the newest and events in order. On the wire (wire-format.ts) comes the
 * node's tag, so a node skips its own echo without decoding it, then a MessagePack array. One
 * JSON message per update cost a socket write and a parse each, on every node: at 10,000
 * updates/s that alone saturated a node.
 *
 * Pub/sub keeps nothing: while this node's subscriber is reconnecting it misses what others
 * publish (it reports not ready meanwhile; clients resume from the store by seq or cursor).
 * Events this node publishes while Redis is away wait in ioredis's offline queue; progress
 * ticks are not queued (the next tick replaces them).
 */
export class RedisBus implements Bus {
  private readonly listeners = new Set<(message: BusMessage) => void>();
  private readonly nodeTag = newNodeTag();
  private readonly channel: string;
  private readonly sequencer: JobSequencer;
  private readonly outgoing: BatchedPublisher;
  private subscribed = false;
  private closed = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisBusOptions,
  ) {
    this.channel = `${options.prefix}:bus`;
    this.sequencer = new JobSequencer({ gapWaitMs: options.gapWaitMs ?? 1_000, maxJobs: 100_000, deliver: (m) => this.deliver(m) });
    this.outgoing = new BatchedPublisher({
      windowMs: options.publishWindowMs ?? 5,
      maxPerBatch: MAX_MESSAGES_PER_PUBLISH,
      // While Redis is away, durable events wait in the offline queue (few, and they matter);
      // progress ticks are state that the next tick replaces, so they are not queued without bound.
      progressWanted: () => this.publisher.status === 'ready',
      send: (messages) => {
        let data: Buffer;
        try {
          data = encodeMessages(this.nodeTag, messages);
        } catch (error) {
          // Sent from a timer or microtask: an unencodable message must not take the node down.
          this.options.onError(error, 'publish');
          return;
        }
        this.publisher.publish(this.channel, data).catch((error: unknown) => this.options.onError(error, 'publish'));
      },
    });
  }

  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const connection = () =>
      new Redis(options.url, {
        lazyConnect: true,
        // Keep retrying for ever (capped backoff): a node outlives a Redis restart.
        retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
        maxRetriesPerRequest: null,
        connectTimeout: options.connectTimeoutMs ?? 10_000,
      });
    const bus = new RedisBus(connection(), connection(), options);
    try {
      await bus.open();
    } catch (error) {
      await bus.close();
      throw new HeadwayError('NOT_READY', `cannot reach Redis at ${redactUrl(options.url)} (${error instanceof Error ? error.message : String(error)}); start it or fix --redis (HEADWAY_REDIS)`);
    }
    return bus;
  }

  private async open(): Promise<void> {
    for (const connection of [this.publisher, this.subscriber]) {
      // ioredis retries every couple of seconds while Redis is away: report once per outage.
      let reported = false;
      connection.on('error', (error: unknown) => {
        if (!reported) this.options.onError(error, 'connection');
        reported = true;
      });
      connection.on('ready', () => (reported = false));
    }
    // ioredis re-subscribes on reconnect by itself; `subscribed` follows the subscriber's state.
    this.subscriber.on('ready', () => (this.subscribed = true));
    this.subscriber.on('close', () => (this.subscribed = false));
    this.subscriber.on('messageBuffer', (channel: Buffer, data: Buffer) => {
      if (channel.toString() === this.channel) this.receive(data);
    });
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.channel);
    this.subscribed = true;
  }

  publish(message: BusMessage): void {
    if (this.closed) return;
    this.outgoing.add(message);
    this.sequencer.push(message);
  }

  subscribe(listener: (message: BusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Both connections up and the subscription in place. */
  isReady(): boolean {
    return !this.closed && this.subscribed && this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  async ping(): Promise<void> {
    if (!this.isReady()) throw new Error(`Redis connection is ${this.publisher.status === 'ready' ? 'subscribing' : this.publisher.status}`);
    await this.publisher.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.outgoing.flush(); // what was just published still goes out, before quit
    this.closed = true;
    this.sequencer.flush();
    this.listeners.clear();
    // quit lets queued commands finish; a connection that is not up has nothing to finish.
    await Promise.all([this.publisher, this.subscriber].map((c) => (c.status === 'ready' ? c.quit().then(() => undefined, () => c.disconnect()) : c.disconnect())));
  }

  private receive(data: Buffer): void {
    if (this.closed || isFromNode(data, this.nodeTag)) return;
    let messages: BusMessage[];
    try {
      messages = decodeMessages(data);
    } catch (error) {
      this.options.onError(error, 'message');
      return;
    }
    for (const message of messages) this.sequencer.push(message);
  }

  private deliver(message: BusMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.options.onError(error, 'listener');
      }
    }
  }
}

/** Opens a RedisBus; throws NOT_READY (saying what to fix) when Redis cannot be reached at start. */
export function createRedisBus(options: RedisBusOptions): Promise<RedisBus> {
  return RedisBus.connect(options);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
