import { useEffect, useState } from 'react';
import type { HeadwayClient, Job, JobEvent } from '@headway/client';
import { FrameBatcher } from '@headway/react';
import { addSample, sampleOf, type JobSample } from './job-samples';

export interface JobFeed {
  /** The audit trail, oldest first: what the server kept plus what arrived live. */
  events: JobEvent[];
  /** Observations since the page opened. */
  samples: JobSample[];
  eventsError: Error | null;
}

const HISTORY_PAGE = 1_000;
/** A trail longer than this is cut (oldest kept); the live tail still arrives. */
const HISTORY_MAX = 20_000;

/**
 * The audit trail and the samples behind the charts of one job. Every live update is seen
 * (so no event is missed between frames), but React hears about them once per frame.
 */
export function useJobFeed(client: HeadwayClient, id: string): JobFeed {
  const [feed, setFeed] = useState<JobFeed>({ events: [], samples: [], eventsError: null });

  useEffect(() => {
    let events = new Map<number, JobEvent>();
    let samples: JobSample[] = [];
    let eventsError: Error | null = null;
    let stopped = false;
    const batcher = new FrameBatcher(() => {
      if (!stopped) setFeed({ events: [...events.values()].sort((a, b) => a.seq - b.seq), samples, eventsError });
    });
    const take = (list: readonly JobEvent[]) => {
      if (list.length === 0) return;
      events = new Map(events);
      for (const event of list) events.set(event.seq, event);
      batcher.request();
    };
    const record = (job: Job | undefined) => {
      if (!job) return;
      const next = addSample(samples, sampleOf(job));
      if (next !== samples) {
        samples = next;
        batcher.request();
      }
    };

    const stopWatch = client.watch(id, (update) => {
      take(update.events);
      record(update.job);
    });
    void loadHistory(client, id)
      .then(take)
      .catch((error: Error) => {
        eventsError = error;
        batcher.request();
      });
    return () => {
      stopped = true;
      stopWatch();
    };
  }, [client, id]);

  return feed;
}

/** Every stored event of the job, a page at a time. */
async function loadHistory(client: HeadwayClient, id: string): Promise<JobEvent[]> {
  const all: JobEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await client.events(id, { after, limit: HISTORY_PAGE });
    all.push(...page);
    const last = page[page.length - 1];
    if (page.length < HISTORY_PAGE || !last || all.length >= HISTORY_MAX) return all;
    after = last.seq;
  }
}
