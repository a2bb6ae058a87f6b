/**
 * Serialises the durable changes of one job on this node, so events are committed and
 * published in seq order. Different jobs proceed in parallel.
 */
export class JobLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(jobId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(jobId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(jobId, tail);
    void tail.then(() => {
      if (this.tails.get(jobId) === tail) this.tails.delete(jobId);
    });
    return next;
  }
}
