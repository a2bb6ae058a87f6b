import type { ServerMessage } from '@headway/protocol';
import type { BusMessage } from '../../bus/bus.js';
import type { CatchUp } from './catch-up.js';
import type { ChannelAccess } from './channel-access.js';

/**
 * One channel followed by one connection. It joins the bus before the store is read; live
 * messages that arrive meanwhile are buffered, then merged with the catch-up by position (seq,
 * or cursor on many-job channels) so that every event goes out exactly once and in order.
 */
export class Subscription {
  private buffered: BusMessage[] | null = [];
  /** Events at or below this position were covered by the replay or the snapshot. */
  private coveredThrough = 0;

  constructor(
    readonly access: ChannelAccess,
    private readonly emit: (message: ServerMessage) => void,
  ) {}

  /**
   * Ends the catch-up: the replayed events, then live events newer than the replay but already
   * in the snapshot (a client that asked for history gets each transition, not only its result),
   * then the snapshot, then everything newer.
   */
  open({ replayed, replayedThrough, state }: CatchUp): void {
    const buffered = this.buffered ?? [];
    this.buffered = null;
    for (const message of replayed) this.emit(message);
    this.coveredThrough = replayedThrough;
    const later: BusMessage[] = [];
    for (const message of buffered) {
      if (message.type === 'event' && this.positionOf(message) <= state.seq) this.deliver(message);
      else later.push(message);
    }
    this.emit(state);
    this.coveredThrough = Math.max(replayedThrough, state.seq);
    const snapshotSeqs = new Map(state.jobs.map((job) => [job.id, job.seq]));
    for (const message of later) {
      // A tick read before the snapshot would move the client's state backwards.
      if (message.type === 'progress' && message.update.seq < (snapshotSeqs.get(message.update.jobId) ?? 0)) continue;
      this.deliver(message);
    }
  }

  deliver(message: BusMessage): void {
    if (this.buffered) {
      this.buffered.push(message);
      return;
    }
    const { channel } = this.access;
    if (message.type === 'event') {
      if (this.positionOf(message) <= this.coveredThrough) return;
      const { event, job } = message;
      this.emit({ type: 'event', channel, jobId: event.jobId, seq: event.seq, ...(event.cursor !== undefined ? { cursor: event.cursor } : {}), event, job });
    } else if (message.type === 'progress') {
      this.emit({ type: 'progress', channel, jobId: message.update.jobId, seq: message.update.seq, update: message.update });
    }
  }

  private positionOf(message: Extract<BusMessage, { type: 'event' }>): number {
    if (this.access.jobId !== undefined) return message.event.seq;
    // An event without a cursor cannot be placed; delivering it twice beats losing it.
    return message.event.cursor ?? Number.POSITIVE_INFINITY;
  }
}
