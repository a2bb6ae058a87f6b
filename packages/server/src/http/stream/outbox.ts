import type { Channel, ServerMessage } from '@headway/protocol';

/** Durable messages a connection may have pending before it is declared too far behind. */
export const MAX_PENDING_EVENTS = 2_000;
/** Bytes the transport may hold unsent before we stop writing and start conflating. */
export const HIGH_WATER_BYTES = 1_048_576;

export interface Transport {
  send(text: string): void;
  /** Bytes queued in the transport and not yet written to the socket. */
  bufferedBytes(): number;
}

/**
 * A connection's outgoing queue. Durable events are kept in order; pending progress for the same
 * job is conflated to the newest, so a slow consumer costs bounded memory. Past the bound, the
 * queue is dropped and `onOverflow` asks the channels to resync; events are never silently lost.
 */
export class Outbox {
  private readonly events: ServerMessage[] = [];
  private readonly progress = new Map<string, ServerMessage>();
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly onOverflow: (channels: Channel[]) => void,
  ) {}

  push(message: ServerMessage): void {
    if (this.closed) return;
    if (message.type === 'progress') {
      // Progress is state: keep the newest per channel and job, behind earlier events.
      const key = `${message.channel}\u0000${message.jobId}`;
      this.progress.delete(key);
      this.progress.set(key, message);
    } else {
      this.events.push(message);
      if (this.events.length > MAX_PENDING_EVENTS) return this.overflow();
    }
    this.schedule();
  }

  /** Messages waiting to be written (for tests and the system view). */
  get pending(): number {
    return this.events.length + this.progress.size;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.events.length = 0;
    this.progress.clear();
  }

  private schedule(): void {
    if (this.scheduled || this.retryTimer) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (!this.closed && this.transport.bufferedBytes() < HIGH_WATER_BYTES) {
      const next = this.events.shift() ?? this.takeProgress();
      if (!next) return;
      this.transport.send(JSON.stringify(next));
    }
    // The peer is not reading fast enough: look again shortly, conflating in the meantime.
    if (!this.closed && this.pending > 0 && !this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.drain();
      }, 25);
    }
  }

  private takeProgress(): ServerMessage | undefined {
    const first = this.progress.entries().next();
    if (first.done) return undefined;
    this.progress.delete(first.value[0]);
    return first.value[1];
  }

  private overflow(): void {
    const channels = new Set<Channel>();
    for (const message of [...this.events, ...this.progress.values()]) if (message.channel) channels.add(message.channel);
    this.events.length = 0;
    this.progress.clear();
    this.onOverflow([...channels]);
  }
}
