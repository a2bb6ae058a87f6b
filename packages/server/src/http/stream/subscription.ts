import type { Channel, ServerMessage } from '@headway/protocol';
import type { BusMessage } from '../../bus/bus.js';
import type { CatchUp } from './catch-up.js';
import type { ChannelAccess } from './channel-access.js';
import { notificationOf } from './notifications.js';
import { outgoing, type Outgoing } from './outbox.js';
import { progressUpdateText } from './progress-text.js';

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
    private readonly emit: (out: Outgoing) => void,
  ) {}

  /**
   * Ends the catch-up: the replayed events, then live events newer than the replay but already
   * in the snapshot (a client that asked for history gets each transition, not only its result),
   * then the snapshot, then everything newer.
   */
  open({ replayed, replayedThrough, pages }: CatchUp): void {
    const buffered = this.buffered ?? [];
    this.buffered = null;
    for (const message of replayed) this.emit(outgoing(message));
    this.coveredThrough = replayedThrough;
    const seq = pages[0]!.seq;
    const later: BusMessage[] = [];
    for (const message of buffered) {
      if (message.type === 'event' && this.positionOf(message) <= seq) this.deliver(message);
      else later.push(message);
    }
    for (const page of pages) this.emit(outgoing(page));
    this.coveredThrough = Math.max(replayedThrough, seq);
    const snapshotSeqs = new Map<string, number>();
    for (const page of pages) for (const job of page.jobs) snapshotSeqs.set(job.id, job.seq);
    for (const message of later) {
      // A tick read before the snapshot would move the client's state backwards.
      if (message.type === 'progress' && message.update.seq < (snapshotSeqs.get(message.update.jobId) ?? 0)) continue;
      this.deliver(message);
    }
  }

  /** `shared` gives the channel's wire message, built once for all its subscribers (see StreamHub). */
  deliver(message: BusMessage, shared?: () => Outgoing | undefined): void {
    if (this.buffered) {
      this.buffered.push(message);
      return;
    }
    if (message.type === 'event' && this.positionOf(message) <= this.coveredThrough) return;
    const notification = notificationOf(message);
    if (notification) {
      const channel = `user:${notification.userId}` as const;
      if (this.access.channel === channel && this.access.carriesNotifications) this.emit(outgoing({ type: 'notification', channel, notification: notification.notification }));
      return;
    }
    const out = shared ? shared() : outgoingOf(message, this.access.channel);
    if (out) this.emit(out);
  }

  private positionOf(message: Extract<BusMessage, { type: 'event' }>): number {
    if (this.access.jobId !== undefined) return message.event.seq;
    // An event without a cursor cannot be placed; delivering it twice beats losing it.
    return message.event.cursor ?? Number.POSITIVE_INFINITY;
  }
}

/**
 * The wire message for a bus message on a channel (nothing for bus-only messages). One update
 * can go out on up to three channels (its job, its owner, `jobs`) that differ only in `channel`:
 * when it does (`onSeveralChannels`), its body (the update, or the event and job) is serialized
 * once and spliced into each, giving the very text JSON.stringify would. For an event on one
 * channel that costs more than it saves (about 7.5 against 5.7 µs a message here), so it is not
 * done; progress is always written for its fixed shape (progressUpdateText).
 */
export function outgoingOf(message: BusMessage, channel: Channel, onSeveralChannels = false): Outgoing | undefined {
  if (!onSeveralChannels) return outgoingOfOne(message, channel);
  const head = (jobId: string, seq: number) => `{"type":"${message.type}","channel":${JSON.stringify(channel)},"jobId":${JSON.stringify(jobId)},"seq":${JSON.stringify(seq)}`;
  if (message.type === 'event') {
    const { event, job } = message;
    const wire: ServerMessage = { type: 'event', channel, jobId: event.jobId, seq: event.seq, ...(event.cursor !== undefined ? { cursor: event.cursor } : {}), event, job };
    const cursor = event.cursor !== undefined ? `,"cursor":${JSON.stringify(event.cursor)}` : '';
    return outgoing(wire, () => `${head(event.jobId, event.seq)}${cursor},${bodyOf(message, () => `"event":${JSON.stringify(event)},"job":${JSON.stringify(job)}`)}}`);
  }
  if (message.type === 'progress') {
    const { update } = message;
    const wire: ServerMessage = { type: 'progress', channel, jobId: update.jobId, seq: update.seq, update };
    return outgoing(wire, () => `${head(update.jobId, update.seq)},${bodyOf(message, () => `"update":${progressUpdateText(update)}`)}}`);
  }
  return undefined;
}

function outgoingOfOne(message: BusMessage, channel: Channel): Outgoing | undefined {
  if (message.type === 'event') {
    const { event, job } = message;
    return outgoing({ type: 'event', channel, jobId: event.jobId, seq: event.seq, ...(event.cursor !== undefined ? { cursor: event.cursor } : {}), event, job });
  }
  if (message.type === 'progress') {
    const { update } = message;
    const text = () => `{"type":"progress","channel":${JSON.stringify(channel)},"jobId":${JSON.stringify(update.jobId)},"seq":${JSON.stringify(update.seq)},"update":${progressUpdateText(update)}}`;
    return outgoing({ type: 'progress', channel, jobId: update.jobId, seq: update.seq, update }, text);
  }
  return undefined;
}

/**
 * The serialized body of a bus message, kept while the message lives. Keyed by the message,
 * which is built once per publish, never by its parts: those may be objects that live on.
 */
const bodies = new WeakMap<BusMessage, string>();

function bodyOf(message: BusMessage, serialize: () => string): string {
  let text = bodies.get(message);
  if (text === undefined) bodies.set(message, (text = serialize()));
  return text;
}
