import type { JobEvent } from '@headway/protocol';

/** Missed events replayed at most, as the server's stream catch-up does (its replayLimit); past it, a resync. */
export const REPLAY_LIMIT = 1_000;
/** The most events `GET /v1/jobs/:id/events` answers per request. */
const EVENTS_PER_REQUEST = 1_000;

/** One page of a job's events after `after`, oldest first, at most `limit`. */
export type EventPage = (after: number, limit: number) => Promise<JobEvent[]>;

/**
 * A job's events after `after` up to at least `through` (its current seq), read page by page;
 * or null when more than REPLAY_LIMIT were missed, so the caller resyncs as the stream would,
 * instead of replaying a partial set.
 */
export async function missedEvents(page: EventPage, after: number, through: number): Promise<JobEvent[] | null> {
  const missed: JobEvent[] = [];
  let from = after;
  while (from < through && missed.length <= REPLAY_LIMIT) {
    const events = await page(from, EVENTS_PER_REQUEST);
    missed.push(...events);
    const last = events.at(-1);
    if (last === undefined || events.length < EVENTS_PER_REQUEST) break;
    from = last.seq;
  }
  return missed.length > REPLAY_LIMIT ? null : missed;
}
