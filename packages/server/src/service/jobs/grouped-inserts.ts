import { HeadwayError, type JobEvent } from '@headway/protocol';
import type { JobRecord } from '../../model/job-record.js';
import type { JobStore } from '../../store/store.js';

/** Jobs written in one store call at most (a request's own tree is never split). */
const MAX_GROUP_JOBS = 1_000;

interface Waiting {
  jobs: JobRecord[];
  now: number;
  resolve: (events: JobEvent[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for new jobs: trees that arrive while a write is under way go to the store
 * together in the next one. On PostgreSQL each write holds the event-cursor lock until its
 * commit is on disk, so one tree per write capped creation at about 800 jobs/s for all nodes
 * together, however many clients posted. A lone request is written at once, as before. A tree
 * the store refuses (its parent is gone, its id is taken) must not fail the others: a group that
 * fails is written again one tree at a time, so each request gets its own answer.
 */
export class GroupedInserts {
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly store: Pick<JobStore, 'insert'>) {}

  /** Inserts one tree (all or nothing) and answers its `created` events. */
  insert(jobs: JobRecord[], now: number): Promise<JobEvent[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ jobs, now, resolve, reject });
      if (!this.writing) void this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) await this.write(this.takeGroup());
    } finally {
      this.writing = false;
    }
  }

  private takeGroup(): Waiting[] {
    let jobs = 0;
    let count = 0;
    while (count < this.waiting.length && (count === 0 || jobs + this.waiting[count]!.jobs.length <= MAX_GROUP_JOBS)) jobs += this.waiting[count++]!.jobs.length;
    return this.waiting.splice(0, count);
  }

  private async write(group: Waiting[]): Promise<void> {
    if (group.length === 1) return this.writeAlone(group[0]!);
    let events: JobEvent[];
    try {
      // The events are stamped with the newest request's clock: the time the group was written.
      events = await this.store.insert(
        group.flatMap((item) => item.jobs),
        Math.max(...group.map((item) => item.now)),
      );
    } catch (error) {
      if (!(error instanceof HeadwayError)) {
        for (const item of group) item.reject(error);
        return;
      }
      for (const item of group) await this.writeAlone(item);
      return;
    }
    const groupOf = new Map<string, JobEvent[]>();
    for (const item of group) {
      const own: JobEvent[] = [];
      for (const job of item.jobs) groupOf.set(job.id, own);
    }
    for (const event of events) groupOf.get(event.jobId)?.push(event);
    for (const item of group) item.resolve(groupOf.get(item.jobs[0]!.id) ?? []);
  }

  private async writeAlone(item: Waiting): Promise<void> {
    try {
      item.resolve(await this.store.insert(item.jobs, item.now));
    } catch (error) {
      item.reject(error);
    }
  }
}
