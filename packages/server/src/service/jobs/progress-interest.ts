/** Says whether someone on this node follows a job (its own channel, its owner's, or all jobs). */
export type InterestSource = (jobId: string, owner: string | null) => boolean;

/**
 * Who wants a job's progress updates, so that progress nobody follows is not announced: on a
 * node whose workers report thousands of times a second and where no dashboard is open,
 * building and routing those updates was a sixth of the ingest cost. Durable events are always
 * published; this gates progress only. With other nodes (a shared bus), any job may be followed
 * elsewhere, so everything is wanted.
 */
export class ProgressInterest {
  private readonly sources = new Set<InterestSource>();
  private readonly followers = new Map<string, number>();
  /** Bumped whenever any answer may have changed, so callers can keep an answer until then. */
  private changes = 0;

  constructor(private readonly everything: boolean) {}

  get version(): number {
    return this.changes;
  }

  /** A source's answers changed (the hub gained or lost a channel). */
  changed(): void {
    this.changes++;
  }

  wants(jobId: string, owner: string | null): boolean {
    if (this.everything || this.followers.has(jobId)) return true;
    for (const source of this.sources) if (source(jobId, owner)) return true;
    return false;
  }

  /** A subscriber index (the stream hub) that answers for its own channels. */
  addSource(source: InterestSource): () => void {
    this.sources.add(source);
    this.changes++;
    return () => {
      this.sources.delete(source);
      this.changes++;
    };
  }

  /** One follower of one job (a long-poll) until the returned function is called. */
  follow(jobId: string): () => void {
    this.followers.set(jobId, (this.followers.get(jobId) ?? 0) + 1);
    this.changes++;
    let following = true;
    return () => {
      if (!following) return;
      following = false;
      this.changes++;
      const left = this.followers.get(jobId)! - 1;
      if (left === 0) this.followers.delete(jobId);
      else this.followers.set(jobId, left);
    };
  }
}
