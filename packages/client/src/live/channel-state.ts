import type { Channel, Job, JobEvent, JobStep, ServerMessage } from '@headway/protocol';

/**
 * A many-job channel's list as the polling transport reads it (made by the client, never sent by
 * the server). Polling gets no events, so this state stands for every event it reflects: a stream
 * that takes over must not deliver those again. `cursor` is the server's event cursor read before
 * the list, where a stream resumes; null from a server that gives none.
 */
export interface PolledList {
  type: 'polled';
  channel: Channel;
  jobs: Job[];
  cursor: number | null;
}

/** What transports hand the hub: the server's messages, and polled lists. */
export type LiveMessage = ServerMessage | PolledList;

/** Messages that change a channel's job state (not errors; notifications go to their own watchers). */
export type ChannelMessage = Exclude<LiveMessage, { type: 'error' | 'notification' | 'pong' }>;

/** What a watcher receives: the channel's whole current state plus what this change added. */
export interface WatchUpdate {
  channel: Channel;
  /** Every job of the channel, newest state, in the order they were first seen. */
  jobs: readonly Job[];
  /** The job of a `job:` channel (undefined until its snapshot arrived). */
  job: Job | undefined;
  /** Durable events this change delivered, oldest first, each once; with any cause (a resume's snapshot carries the events it replayed). */
  events: readonly JobEvent[];
  cause: 'snapshot' | 'event' | 'progress' | 'resync';
}

/**
 * Local state of one live channel: merges snapshots, durable events and progress ticks,
 * drops duplicates (by per-job seq) and stale ticks, and knows where to resume from.
 * Pure: no I/O, no clock; every transport feeds it the same messages.
 */
export class ChannelState {
  readonly channel: Channel;
  private readonly jobs = new Map<string, Job>();
  /** Highest durable event seq delivered per job; older or equal seqs are replays. */
  private readonly deliveredSeq = new Map<string, number>();
  private resumePoint: number | null = null;
  private latest: WatchUpdate | null = null;
  /** Set while the pages of a snapshot arrive: the cause its last page is published with. */
  private pagedCause: 'snapshot' | 'resync' | null = null;
  /**
   * Set from a resuming subscribe until the newest state arrives. The server replays missed
   * events before that state, and they carry no progress: published one by one, a job that
   * finished meanwhile showed as completed at its old percent until the state came. They are
   * published with the state instead, in one update.
   */
  private replayed: JobEvent[] | null = null;

  constructor(channel: Channel) {
    this.channel = channel;
  }

  /** The `after` to send when (re)subscribing: a job seq, or a store cursor for many-job channels. */
  get resumeAfter(): number | null {
    return this.resumePoint;
  }

  get current(): WatchUpdate | null {
    return this.latest;
  }

  /** The channel is being (re)subscribed: answers the `after` to send (see resumeAfter). */
  subscribing(): number | null {
    if (this.resumePoint !== null) this.replayed ??= [];
    return this.resumePoint;
  }

  /** Applies one message; answers the new view, or null when it changed nothing. */
  apply(message: ChannelMessage): WatchUpdate | null {
    switch (message.type) {
      case 'snapshot':
        return this.applySnapshot(message.jobs, message.seq, this.pagedCause ?? 'snapshot', message.more);
      case 'resync':
        this.jobs.clear();
        this.deliveredSeq.clear();
        this.resumePoint = null;
        this.replayed = null; // its state replaces everything, events included
        return this.applySnapshot(message.jobs, message.seq, 'resync', message.more);
      case 'event':
        return this.applyEvent(message.event, message.job, message.cursor ?? message.event.cursor);
      case 'progress':
        return this.applyProgress(message.update.jobId, message.update.seq, message.update.job);
      case 'polled':
        return this.applyPolled(message.jobs, message.cursor);
    }
  }

  /**
   * Unlike a stream's snapshot, whose later events still arrive, a polled list counts as having
   * delivered each job's events up to its seq: after a handover the stream replays from the
   * list's cursor, and what the list already showed must not come again as news.
   */
  private applyPolled(jobs: Job[], cursor: number | null): WatchUpdate {
    for (const job of jobs) {
      const known = this.jobs.get(job.id);
      if (!known || isNewer(job, known)) this.jobs.set(job.id, job);
      this.deliveredSeq.set(job.id, Math.max(this.deliveredSeq.get(job.id) ?? 0, job.seq));
    }
    this.pagedCause = null;
    // No cursor (an older server): the resume point stays, and a channel that only polled subscribes for a snapshot.
    if (cursor !== null) this.advanceResume(cursor);
    return this.publishState('snapshot');
  }

  private applySnapshot(jobs: Job[], seq: number, cause: 'snapshot' | 'resync', more = false): WatchUpdate | null {
    for (const job of jobs) {
      const known = this.jobs.get(job.id);
      if (!known || isNewer(job, known)) this.jobs.set(job.id, job);
      // Replayed events may follow a snapshot; only the first snapshot sets the baseline.
      if (!this.deliveredSeq.has(job.id)) this.deliveredSeq.set(job.id, job.seq);
    }
    // A paged snapshot is published (and becomes the resume point) with its last page: never a partial list.
    this.pagedCause = more ? cause : null;
    if (more) return null;
    this.advanceResume(seq);
    return this.publishState(cause);
  }

  private applyEvent(event: JobEvent, job: Job | undefined, cursor: number | undefined): WatchUpdate | null {
    const delivered = this.deliveredSeq.get(event.jobId);
    if (delivered !== undefined && event.seq <= delivered) return null;
    this.deliveredSeq.set(event.jobId, event.seq);
    const known = this.jobs.get(event.jobId);
    if (job && (!known || job.seq >= known.seq)) this.jobs.set(job.id, job);
    else if (known && event.seq > known.seq) this.jobs.set(known.id, patchFromEvent(known, event));
    this.advanceResume(this.isSingleJob() ? event.seq : cursor);
    if (this.replayed) {
      this.replayed.push(event);
      return null;
    }
    return this.publish('event', [event]);
  }

  private applyProgress(jobId: string, seq: number, fields: Partial<Job>): WatchUpdate | null {
    const known = this.jobs.get(jobId);
    // A tick for a job we have no state for cannot make a whole Job; its snapshot or event will.
    if (!known || seq < known.seq) return null;
    if (fields.updatedAt !== undefined && fields.updatedAt < known.updatedAt) return null;
    this.jobs.set(jobId, { ...known, ...fields });
    return this.replayed ? null : this.publish('progress', []);
  }

  private isSingleJob(): boolean {
    return this.channel.startsWith('job:');
  }

  private advanceResume(point: number | undefined): void {
    if (point === undefined) return;
    this.resumePoint = this.resumePoint === null ? point : Math.max(this.resumePoint, point);
  }

  /** Publishes the newest state, with the events replayed before it. */
  private publishState(cause: 'snapshot' | 'resync'): WatchUpdate {
    const events = this.replayed ?? [];
    this.replayed = null;
    return this.publish(cause, events);
  }

  private publish(cause: WatchUpdate['cause'], events: JobEvent[]): WatchUpdate {
    const jobs = [...this.jobs.values()];
    const job = this.isSingleJob() ? this.jobs.get(this.channel.slice(4)) : undefined;
    this.latest = { channel: this.channel, jobs, job, events, cause };
    return this.latest;
  }
}

function isNewer(candidate: Job, known: Job): boolean {
  return candidate.seq > known.seq || (candidate.seq === known.seq && candidate.updatedAt >= known.updatedAt);
}

/** Best local view when an event arrives without the job's state attached. */
function patchFromEvent(job: Job, event: JobEvent): Job {
  const next: Job = { ...job, seq: event.seq, updatedAt: Math.max(job.updatedAt, event.at) };
  switch (event.kind) {
    case 'transition':
      next.status = event.to;
      break;
    case 'control':
      next.control = event.intent;
      break;
    case 'step':
      next.steps = job.steps.map((step): JobStep => (step.name === event.name ? { ...step, status: event.status } : step));
      if (event.status === 'running') next.currentStep = event.name;
      break;
    case 'milestone':
      next.percent = Math.max(job.percent, event.percent);
      break;
    default:
      break;
  }
  return next;
}
