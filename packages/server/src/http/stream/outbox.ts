import type { Channel, StreamMessage } from '@headway/protocol';
import type { StreamOptions } from './options.js';

export interface Transport {
  /** Writes one message; `text` is its JSON (SSE also needs the message for the `id:` line). */
  send(message: StreamMessage, text: string): void;
  /** Writes what this pass queued now (one system call) rather than when the pass ends. */
  flush(): void;
  /** Bytes queued in the transport and not yet written to the socket. */
  bufferedBytes(): number;
}

type OutboxLimits = Pick<StreamOptions, 'maxPendingEvents' | 'maxPendingProgress' | 'highWaterBytes'>;

/**
 * A message on its way out. The subscribers of one channel share one, so it is serialized
 * once however many connections it goes to (and never, when it is conflated away first).
 */
export interface Outgoing {
  readonly message: StreamMessage;
  text?: string;
  /** Builds `text` when it is first needed, if cheaper than JSON.stringify of the whole message. */
  readonly render?: () => string;
}

export function outgoing(message: StreamMessage, render?: () => string): Outgoing {
  return render ? { message, render } : { message };
}

/**
 * A connection's outgoing queue. Durable messages are written at once; progress waits until
 * the current synchronous pass ends, so a burst of ticks for one job goes out as one message. While
 * the socket holds more than the high-water mark nothing is written (its buffer stays bounded):
 * durable messages wait in order, and progress is conflated to the newest per channel and job
 * (first-queued jobs go first, so a busy job cannot starve a quiet one). Past either bound the
 * queue is dropped and `onOverflow` names the channels that must resync: nothing is lost silently.
 */
export class Outbox {
  private readonly events: Outgoing[] = [];
  private progress = new Map<string, Outgoing>();
  private drainWaiters: Array<() => void> = [];
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly limits: OutboxLimits,
    private readonly onOverflow: (channels: Channel[]) => void,
  ) {}

  push(out: Outgoing): void {
    if (this.closed) return;
    const { message } = out;
    if (message.type === 'progress') {
      this.progress.set(progressKey(message.channel, message.jobId), out);
      if (this.progress.size > this.limits.maxPendingProgress) return this.overflow();
    } else {
      // An event carrying the job's state supersedes that job's pending progress (and keeps order).
      if (message.type === 'event' && message.job) this.progress.delete(progressKey(message.channel, message.jobId));
      // Nothing ahead of it and room in the socket: write now, so a burst (a batch of 10,000
      // children) counts against the bound only when the peer is really behind.
      if (this.events.length === 0 && !this.blocked()) return this.transport.send(message, textOf(out));
      this.events.push(out);
      if (this.events.length > this.limits.maxPendingEvents) return this.overflow();
    }
    this.schedule();
  }

  /** Calls back once the queue is empty and the socket is below its high-water mark again. */
  whenDrained(callback: () => void): void {
    if (this.closed) return;
    this.drainWaiters.push(callback);
    this.schedule();
  }

  /** Messages waiting in this queue (not yet handed to the socket). */
  get pending(): number {
    return this.events.length + this.progress.size;
  }

  get bufferedBytes(): number {
    return this.transport.bufferedBytes();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.events.length = 0;
    this.progress.clear();
    this.drainWaiters = [];
  }

  private schedule(): void {
    if (this.scheduled || this.retryTimer) return;
    this.scheduled = true;
    // After the current synchronous pass (one announcement, one bus delivery), not a whole
    // event-loop turn later: the ticks of that pass are already conflated by then.
    queueMicrotask(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    // Writes go into the transport's cork and count as buffered until the flush hands them to
    // the socket; a flush that makes room lets the next round write what is still queued.
    do {
      while (!this.closed && !this.blocked()) {
        const next = this.events.shift();
        if (!next) break;
        this.transport.send(next.message, textOf(next));
      }
      if (this.events.length === 0) this.drainProgress();
      this.transport.flush();
      if (this.closed) return;
    } while (!this.blocked() && this.pending > 0);
    if (!this.blocked()) {
      for (const waiter of this.drainWaiters.splice(0)) waiter();
      return;
    }
    // The peer is not reading fast enough: look again shortly, conflating in the meantime.
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = null;
      this.drain();
    }, 25);
  }

  private blocked(): boolean {
    return this.transport.bufferedBytes() >= this.limits.highWaterBytes;
  }

  /**
   * Writes pending progress oldest first while the socket has room, in one walk of the map: a
   * fresh iterator per message would step over every entry deleted before it (a Map keeps them
   * as holes until it shrinks), quadratic in a queue of a thousand jobs.
   */
  private drainProgress(): void {
    // Values, not entries: an entry is a fresh [key, value] array per message, and this runs
    // for every progress message sent. The rare socket that fills up midway drops what it sent.
    let sent = 0;
    for (const out of this.progress.values()) {
      if (this.closed) return;
      if (this.blocked()) return this.forgetFirst(sent);
      this.transport.send(out.message, textOf(out));
      sent++;
    }
    // A fresh map, not the emptied one. Deleting entries makes V8 rehash a map into a new table
    // and link the old table to it; once a connection's long-lived map has been promoted, each
    // dropped table (dead, but in old space) keeps its successor and the messages it held alive
    // through every scavenge until the next full GC. At 10,000 reports/s that kept 8–10 MB per
    // scavenge alive instead of 1 MB: 15–25 ms scavenges and a full GC every 1–3 s.
    this.progress = new Map();
  }

  /** Drops the `count` oldest pending progress messages (they were written). */
  private forgetFirst(count: number): void {
    let left = count;
    for (const key of this.progress.keys()) {
      if (left-- === 0) return;
      this.progress.delete(key);
    }
  }

  private overflow(): void {
    const channels = new Set<Channel>();
    for (const { message } of [...this.events, ...this.progress.values()]) if ('channel' in message && message.channel) channels.add(message.channel);
    this.events.length = 0;
    this.progress.clear();
    this.onOverflow([...channels]);
  }
}

function textOf(out: Outgoing): string {
  return (out.text ??= out.render ? out.render() : JSON.stringify(out.message));
}

/** A job channel names its job: its own string (whose hash V8 keeps) is the key, not a new one per message. */
function progressKey(channel: Channel, jobId: string): string {
  return channel.startsWith('job:') ? channel : `${channel}\u0000${jobId}`;
}
