import { HeadwayError, type JobEvent } from '@headway/protocol';
import type { JobRecord } from '../../model/job-record.js';
import { IdempotencyKeyTaken, type IdempotencyKeyRow, type JobStore } from '../../store/store.js';
import { yieldToOtherWork } from '../yield-to-other-work.js';

/** Jobs written in one store call at most (a request's own tree is never split). */
const MAX_GROUP_JOBS = 1_000;
/**
 * Jobs read back per store call. On SQLite a read holds the event loop: reading a tree of 10,000
 * children at once took 0.25–0.35 s, in which no report or live update went out.
 */
const READ_BACK_PAGE = 500;

/** A tree as written: its `created` events and its records as the store now holds them. */
export interface Inserted {
  events: JobEvent[];
  stored: JobRecord[];
}

interface Waiting {
  jobs: JobRecord[];
  now: number;
  keys: readonly IdempotencyKeyRow[];
  resolve: (inserted: Inserted) => void;
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

  constructor(private readonly store: Pick<JobStore, 'insert' | 'getMany' | 'findIdempotencyKeys'>) {}

  /** Inserts one tree with its key, if any (all or nothing); answers its `created` events and its records read back (one read per group too). */
  insert(jobs: JobRecord[], now: number, keys: readonly IdempotencyKeyRow[] = []): Promise<Inserted> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ jobs, now, keys, resolve, reject });
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
    if (group.length === 0) return;
    if (group.length === 1) return this.writeAlone(group[0]!);
    let events: JobEvent[];
    try {
      // The events are stamped with the newest request's clock: the time the group was written.
      events = await this.store.insert(
        group.flatMap((item) => item.jobs),
        Math.max(...group.map((item) => item.now)),
        group.flatMap((item) => item.keys),
      );
    } catch (error) {
      if (!(error instanceof HeadwayError)) {
        for (const item of group) item.reject(error);
        return;
      }
      if (error instanceof IdempotencyKeyTaken) {
        const fresh = await this.withoutKeysTaken(group);
        if (fresh.length < group.length) return this.write(fresh);
      }
      for (const item of group) await this.writeAlone(item);
      return;
    }
    const stored = await this.readBack(group);
    if (!stored) return;
    const own = new Map<string, Inserted>();
    for (const item of group) {
      const inserted: Inserted = { events: [], stored: [] };
      for (const job of item.jobs) own.set(job.id, inserted);
    }
    for (const event of events) own.get(event.jobId)?.events.push(event);
    for (const record of stored) own.get(record.id)?.stored.push(record);
    for (const item of group) item.resolve(own.get(item.jobs[0]!.id)!);
  }

  /**
   * After a group failed on a taken Idempotency-Key: refuses the trees whose key an earlier
   * request took (resends), with one read for the group, so the others are written together
   * again rather than tree by tree (32 concurrent resends: 270 a second on PostgreSQL). Reading
   * the keys before every insert instead cost first sends a round trip each (keyed creates at
   * 0.6–0.8 of others' rate there); most keyed creates are first sends.
   */
  private async withoutKeysTaken(group: Waiting[]): Promise<Waiting[]> {
    const keys = group.flatMap((item) => item.keys.map((key) => key.scopedKey));
    if (keys.length === 0) return group;
    let taken: Set<string>;
    try {
      taken = new Set((await this.store.findIdempotencyKeys(keys)).map((row) => row.scopedKey));
    } catch (error) {
      for (const item of group) item.reject(error);
      return [];
    }
    return group.filter((item) => {
      const key = item.keys.find((candidate) => taken.has(candidate.scopedKey));
      if (key) item.reject(new IdempotencyKeyTaken(key.scopedKey));
      return !key;
    });
  }

  /** The group's records as stored (PostgreSQL reorders JSON keys, for one); null when the read failed and every request was told. */
  private async readBack(group: Waiting[]): Promise<JobRecord[] | null> {
    try {
      return await this.readPaged(group.flatMap((item) => item.jobs.map((job) => job.id)));
    } catch (error) {
      for (const item of group) item.reject(error);
      return null;
    }
  }

  private async readPaged(ids: string[]): Promise<JobRecord[]> {
    if (ids.length <= READ_BACK_PAGE) return this.store.getMany(ids);
    const stored: JobRecord[] = [];
    for (let start = 0; start < ids.length; start += READ_BACK_PAGE) {
      if (start > 0) await yieldToOtherWork();
      stored.push(...(await this.store.getMany(ids.slice(start, start + READ_BACK_PAGE))));
    }
    return stored;
  }

  private async writeAlone(item: Waiting): Promise<void> {
    try {
      const events = await this.store.insert(item.jobs, item.now, item.keys);
      item.resolve({ events, stored: await this.readPaged(item.jobs.map((job) => job.id)) });
    } catch (error) {
      item.reject(error);
    }
  }
}
