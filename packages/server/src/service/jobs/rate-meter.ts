/**
 * Units per second over a sliding window of recent samples (bounded memory). It runs on every
 * progress report, so samples live in a fixed ring of numbers: no object per sample, no shifting.
 * A report closer than `minGapMs` to the last sample only replaces the pending newest value
 * (two fields on this object, not the ring): a job reported hundreds of times a second costs
 * the ring one sample per gap, and a read still sees the newest report.
 */
export class RateMeter {
  private readonly at: Float64Array;
  private readonly done: Float64Array;
  /** Index of the oldest sample in the ring. */
  private head = 0;
  private size = 0;
  /** The newest sample in the ring. */
  private lastAt = -Infinity;
  private lastDone = -Infinity;
  private pending = false;
  private pendingAt = 0;
  private pendingDone = 0;

  constructor(
    private readonly windowMs = 10_000,
    private readonly maxSamples = 64,
    private readonly minGapMs = 100,
  ) {
    this.at = new Float64Array(maxSamples);
    this.done = new Float64Array(maxSamples);
  }

  observe(at: number, done: number): void {
    const newestDone = this.pending ? this.pendingDone : this.lastDone;
    if (this.size > 0 && done >= newestDone && at >= this.lastAt && at - this.lastAt < this.minGapMs) {
      this.pending = true;
      this.pendingAt = at;
      this.pendingDone = done;
      return;
    }
    this.commitPending();
    this.push(at, done);
  }

  /** Null until two samples span some time. */
  ratePerSec(): number | null {
    this.commitPending();
    if (this.size < 2) return null;
    const first = this.head;
    const last = this.slot(this.size - 1);
    const span = this.at[last]! - this.at[first]!;
    if (span <= 0) return null;
    return ((this.done[last]! - this.done[first]!) * 1000) / span;
  }

  private commitPending(): void {
    if (!this.pending) return;
    this.pending = false;
    this.push(this.pendingAt, this.pendingDone);
  }

  private push(at: number, done: number): void {
    this.lastAt = at;
    this.lastDone = done;
    if (this.size > 0) {
      const last = this.slot(this.size - 1);
      if (done < this.done[last]!) this.size = 0; // a reset starts a new series
      else if (at === this.at[last]) {
        this.done[last] = done;
        return;
      }
    }
    if (this.size === this.maxSamples) this.dropOldest();
    const slot = this.slot(this.size++);
    this.at[slot] = at;
    this.done[slot] = done;
    while (this.size > 2 && at - this.at[this.head]! > this.windowMs) this.dropOldest();
  }

  private slot(offset: number): number {
    return (this.head + offset) % this.maxSamples;
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.maxSamples;
    this.size--;
  }
}
