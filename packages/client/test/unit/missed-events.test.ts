import { describe, expect, it } from 'vitest';
import type { JobEvent } from '@headway/protocol';
import { missedEvents, REPLAY_LIMIT, type EventPage } from '../../src/live/missed-events.js';
import { transition } from '../support/jobs.js';

/** The events route over a job whose events have seqs 1..lastSeq; records each request. */
function eventsRoute(lastSeq: number) {
  const requests: Array<{ after: number; limit: number }> = [];
  const page: EventPage = (after, limit) => {
    requests.push({ after, limit });
    const events: JobEvent[] = [];
    for (let seq = after + 1; seq <= lastSeq && events.length < limit; seq++) events.push(transition('a', seq, 'running', 'running'));
    return Promise.resolve(events);
  };
  return { page, requests };
}

const seqs = (events: JobEvent[] | null) => events?.map((event) => event.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('missedEvents (what a resuming poller replays)', () => {
  it('replays everything missed up to the limit, not one default page of the route', async () => {
    const route = eventsRoute(303);
    expect(seqs(await missedEvents(route.page, 1, 303))).toEqual(range(2, 303));
    const full = eventsRoute(REPLAY_LIMIT + 1);
    expect(seqs(await missedEvents(full.page, 1, REPLAY_LIMIT + 1))).toEqual(range(2, REPLAY_LIMIT + 1));
    expect(full.requests).toEqual([{ after: 1, limit: 1_000 }]);
  });

  it('keeps events past the seq it was asked for (the job moved on meanwhile)', async () => {
    const route = eventsRoute(310);
    expect(seqs(await missedEvents(route.page, 0, 302))).toEqual(range(1, 310));
  });

  it('reads on past a full page to tell a resync: null when more than the limit was missed, as the stream does', async () => {
    const route = eventsRoute(REPLAY_LIMIT + 2);
    expect(await missedEvents(route.page, 0, REPLAY_LIMIT + 2)).toBeNull();
    expect(route.requests.map((r) => r.after)).toEqual([0, 1_000]);
  });

  it('asks nothing when nothing was missed', async () => {
    const route = eventsRoute(5);
    expect(await missedEvents(route.page, 5, 5)).toEqual([]);
    expect(route.requests).toEqual([]);
  });
});
