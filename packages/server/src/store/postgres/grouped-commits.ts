import { HeadwayError } from '@headway/protocol';
import type { CommitResult, JobChange } from '../store.js';
import { commitChange } from './jobs-commit.js';
import { commitGroup, currentSeqs, type GroupOutcome, type TimedChange } from './jobs-commit-group.js';
import type { PgDb } from './pg-db.js';

interface Pending extends TimedChange {
  resolve: (result: CommitResult) => void;
  reject: (error: unknown) => void;
}

/** Statements of this node's commits running at once; changes asked for meanwhile wait and go together. */
const MAX_IN_FLIGHT = 2;
/** Changes in one statement at most (its parameters grow with them). */
const MAX_GROUP = 200;

/**
 * Group commit for job changes on PostgreSQL. Every commit that appends events holds the events
 * lock (locks.ts) from its statement to the end of its commit, WAL flush included, so commits of
 * all nodes run one at a time: about 2,000 a second here, whatever the number of nodes. While
 * MAX_IN_FLIGHT statements run, the changes asked for meanwhile wait, and then go as one statement
 * (commitGroup): one lock hold and one flush for all of them. A lone change goes at once, as
 * before. Each caller is answered only once its change committed, or lost its race.
 * The committer runs the changes of one job one at a time; should two still be pending together,
 * they go in separate statements (each a compare-and-set on the job's seq, as always).
 */
export class PgGroupedCommits {
  private pending: Pending[] = [];
  private inFlight = 0;
  /** Changes left out of a group (their row was held) and committed alone. */
  private waitingAlone = 0;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly db: PgDb) {}

  commit(change: JobChange, now: number): Promise<CommitResult> {
    // A change of tags also rewrites job_tags, in a transaction of its own.
    if (change.patch.tags !== undefined) return commitChange(this.db, change, now);
    return new Promise((resolve, reject) => {
      this.pending.push({ change, now, resolve, reject });
      if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT) return;
      this.scheduled = true;
      // After the I/O callbacks of this turn: the changes asked for in it go together.
      setImmediate(() => {
        this.scheduled = false;
        this.dispatch();
      });
    });
  }

  /** Resolves once every change asked for so far is answered. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.tellIfIdle();
    });
  }

  private dispatch(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      void this.write(group).finally(() => {
        this.inFlight--;
        this.dispatch();
      });
    }
    this.tellIfIdle();
  }

  /** Up to MAX_GROUP pending changes, oldest first, one per job (a second change of a job waits for the next group). */
  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    const jobs = new Set<string>();
    const later: Pending[] = [];
    for (const item of this.pending) {
      if (group.length < MAX_GROUP && !jobs.has(item.change.id)) {
        jobs.add(item.change.id);
        group.push(item);
      } else later.push(item);
    }
    this.pending = later;
    return group;
  }

  private async write(group: Pending[]): Promise<void> {
    if (group.length === 1) return this.commitAlone(group[0]!);
    let outcome: GroupOutcome;
    try {
      outcome = await commitGroup(this.db, group);
    } catch (error) {
      // The connection went: whether it committed is unknown, as for a change alone.
      if (error instanceof HeadwayError) return group.forEach((item) => item.reject(error));
      // The database refused the statement, so nothing of it was written. Each alone, so that
      // only a change it refuses fails its caller.
      await Promise.all(group.map((item) => this.commitAlone(item)));
      return;
    }
    const { locked, committed } = outcome;
    const lost = group.filter((item) => locked.has(item.change.id) && !committed.has(item.change.id));
    const seqs = lost.length > 0 ? await currentSeqs(this.db, lost.map((item) => item.change.id)).catch((error: unknown) => error) : new Map<string, number>();
    const held: Pending[] = [];
    for (const item of group) {
      const events = committed.get(item.change.id);
      if (events) item.resolve({ ok: true, events });
      else if (!locked.has(item.change.id)) held.push(item);
      else if (seqs instanceof Map) item.resolve({ ok: false, currentSeq: seqs.get(item.change.id) ?? null });
      else item.reject(seqs);
    }
    // Rows another transaction held (or a job deleted meanwhile): alone, waiting for the row
    // without holding up the groups behind.
    for (const item of held) {
      this.waitingAlone++;
      void this.commitAlone(item).finally(() => {
        this.waitingAlone--;
        this.tellIfIdle();
      });
    }
  }

  private tellIfIdle(): void {
    if (this.inFlight === 0 && this.waitingAlone === 0 && this.pending.length === 0) for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  private commitAlone(item: Pending): Promise<void> {
    return settle(item, () => commitChange(this.db, item.change, item.now));
  }
}

async function settle(item: Pending, write: () => Promise<CommitResult>): Promise<void> {
  try {
    item.resolve(await write());
  } catch (error) {
    item.reject(error);
  }
}
