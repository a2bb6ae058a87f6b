import type { ServerMessage } from '@headway/protocol';
import type { BusMessage } from '../../bus/bus.js';
import type { ChannelAccess } from './channel-access.js';

/**
 * One channel followed by one connection. Live messages that arrive while the snapshot or the
 * replay is read are buffered, then passed on without the ones the catch-up already covered.
 */
export class Subscription {
  private buffered: BusMessage[] | null = [];
  /** Events at or below this resume point were covered by the snapshot or the replay. */
  private resumePoint = 0;

  constructor(
    readonly access: ChannelAccess,
    private readonly emit: (message: ServerMessage) => void,
  ) {}

  /** Ends the catch-up phase: everything buffered that is newer than `resumePoint` goes out. */
  open(resumePoint: number): void {
    this.resumePoint = resumePoint;
    const buffered = this.buffered ?? [];
    this.buffered = null;
    for (const message of buffered) this.deliver(message);
  }

  deliver(message: BusMessage): void {
    if (this.buffered) {
      this.buffered.push(message);
      return;
    }
    const channel = this.access.channel;
    if (message.type === 'event') {
      const position = this.access.jobId !== undefined ? message.event.seq : (message.event.cursor ?? Number.POSITIVE_INFINITY);
      if (position <= this.resumePoint) return;
      this.emit({ type: 'event', channel, jobId: message.event.jobId, seq: message.event.seq, ...(message.event.cursor !== undefined ? { cursor: message.event.cursor } : {}), event: message.event, job: message.job });
    } else if (message.type === 'progress') {
      this.emit({ type: 'progress', channel, jobId: message.update.jobId, seq: message.update.seq, update: message.update });
    }
  }
}
