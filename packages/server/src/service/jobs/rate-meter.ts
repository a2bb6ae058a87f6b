/**
 * Units per second over a sliding window of recent samples (bounded memory). It runs on every
 * progress report, so samples live in a fixed ring of numbers: no object per sample, no shifting.
 */
export class RateMeter {
  private readonly at: Float64Array;
  private readonly done: Float64Array;
  /** Index of the oldest sample in the ring. */
  private head = 0;
  private size = 0;

  constructor(
    private readonly windowMs = 10_000,
    private readonly maxSamples = 64,
  ) {
    this.at = new Float64Array(maxSamples);
    this.done = new Float64Array(maxSamples);
  }

  observe(at: number, done: number): void {
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

  /** Null until two samples span some time. */
  ratePerSec(): number | null {
    if (this.size < 2) return null;
    const first = this.head;
    const last = this.slot(this.size - 1);
    const span = this.at[last]! - this.at[first]!;
    if (span <= 0) return null;
    return ((this.done[last]! - this.done[first]!) * 1000) / span;
  }

  private slot(offset: number): number {
    return (this.head + offset) % this.maxSamples;
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.maxSamples;
    this.size--;
  }
}
