import { FINAL_STATUSES, HeadwayError, type Channel } from '@headway/protocol';
import type { JobsApi } from '../http/jobs-api.js';
import { longPollWaitMs } from './liveness.js';
import { missedEvents, REPLAY_LIMIT } from './missed-events.js';
import type { Transport, TransportHandlers } from './transport.js';

const LIST_LIMIT = 200;

export interface PollTiming {
  /** Pause between list polls, and between long-polls of a finished job. */
  intervalMs: number;
  /** A long-poll taking longer went down with its connection (no FIN, no RST): it is aborted. The server is asked to answer sooner. */
  longPollTimeoutMs: number;
  /** The same for every other request, which the server answers at once. */
  requestTimeoutMs: number;
}

/**
 * Last resort for clients that can hold neither a WebSocket nor an event stream: a job
 * channel long-polls `GET /v1/jobs/:id?waitForChangeAfter=` and fetches the events it
 * skipped, so transitions still arrive in order; many-job channels re-list every interval, each
 * list with the event cursor a stream that takes over resumes from.
 */
export class PollTransport implements Transport {
  readonly kind = 'polling' as const;
  private readonly loops = new Map<Channel, AbortController>();
  private opened = false;
  private ended = false;

  constructor(private readonly api: JobsApi, private readonly handlers: TransportHandlers, private readonly timing: PollTiming) {}

  subscribe(channel: Channel, after: number | null): void {
    this.loops.get(channel)?.abort();
    const controller = new AbortController();
    this.loops.set(channel, controller);
    const loop = channel.startsWith('job:') ? this.pollJob(channel, channel.slice(4), after, controller.signal) : this.pollList(channel, controller.signal);
    loop.catch((error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof HeadwayError && error.code === 'JOB_NOT_FOUND') {
        this.loops.delete(channel);
        this.handlers.onMessage({ type: 'error', channel, code: error.code, message: error.message });
        return;
      }
      this.end(error instanceof Error ? error : new Error(String(error)));
    });
  }

  unsubscribe(channel: Channel): void {
    this.loops.get(channel)?.abort();
    this.loops.delete(channel);
  }

  close(): void {
    this.ended = true;
    for (const controller of this.loops.values()) controller.abort();
    this.loops.clear();
  }

  private async pollJob(channel: Channel, jobId: string, after: number | null, signal: AbortSignal): Promise<void> {
    let seq = after;
    let updatedAt = -1;
    const { requestTimeoutMs, longPollTimeoutMs } = this.timing;
    const timeoutMs = longPollWaitMs(longPollTimeoutMs);
    const eventPage = (from: number, limit: number) => this.bounded((request) => this.api.events(jobId, { after: from, limit }, request), signal, requestTimeoutMs);
    let job = await this.bounded((request) => this.api.getJob(jobId, request), signal, requestTimeoutMs);
    this.markOpen();
    while (!signal.aborted) {
      const moved = seq === null || job.seq !== seq;
      const ticked = job.updatedAt !== updatedAt;
      // Replay what the long-poll skipped, then the newest state: the same order as the stream.
      const missed = seq !== null && job.seq > seq ? await missedEvents(eventPage, seq, job.seq) : [];
      if (signal.aborted) return;
      if (missed === null) {
        this.handlers.onMessage({ type: 'resync', channel, jobs: [job], seq: job.seq, reason: `more than ${REPLAY_LIMIT} events were missed; replace your state with this snapshot` });
      } else {
        for (const event of missed) {
          // A watcher may stop watching from its callback.
          if (signal.aborted) return;
          this.handlers.onMessage({ type: 'event', channel, jobId, seq: event.seq, event });
        }
        if (moved || ticked) this.handlers.onMessage({ type: 'snapshot', channel, jobs: [job], seq: job.seq });
      }
      seq = job.seq;
      updatedAt = job.updatedAt;
      // A finished job answers the long-poll at once, and so does a server that timed out: don't spin.
      if (FINAL_STATUSES.includes(job.status) || !(moved || ticked)) await delay(this.timing.intervalMs, signal);
      if (signal.aborted) return;
      const since = seq;
      job = await this.bounded((request) => this.api.waitForChange(jobId, since, { timeoutMs, signal: request }), signal, longPollTimeoutMs);
    }
  }

  private async pollList(channel: Channel, signal: AbortSignal): Promise<void> {
    const owner = channel.startsWith('user:') ? channel.slice(5) : undefined;
    while (!signal.aborted) {
      const page = await this.bounded((request) => this.api.listJobs({ owner, sort: '-updatedAt', limit: LIST_LIMIT }, request), signal, this.timing.requestTimeoutMs);
      this.markOpen();
      if (signal.aborted) return;
      this.handlers.onMessage({ type: 'polled', channel, jobs: page.items, cursor: page.eventCursor ?? null });
      await delay(this.timing.intervalMs, signal);
    }
  }

  /** One request of a loop, aborted with the loop or when it outlives `timeoutMs`. */
  private async bounded<T>(call: (request: AbortSignal) => Promise<T>, loop: AbortSignal, timeoutMs: number): Promise<T> {
    const request = new AbortController();
    const followLoop = () => request.abort(loop.reason);
    if (loop.aborted) followLoop();
    else loop.addEventListener('abort', followLoop, { once: true });
    const timer = setTimeout(() => request.abort(new Error(`a polling request got no answer within ${timeoutMs} ms; the connection is presumed dead`)), timeoutMs);
    try {
      return await call(request.signal);
    } finally {
      clearTimeout(timer);
      loop.removeEventListener('abort', followLoop);
    }
  }

  private markOpen(): void {
    if (this.opened) return;
    this.opened = true;
    this.handlers.onOpen();
  }

  private end(error: Error): void {
    if (this.ended) return;
    this.close();
    const fatal = error instanceof HeadwayError && error.code === 'UNAUTHORIZED';
    this.handlers.onClose({ error, opened: this.opened, fatal });
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
