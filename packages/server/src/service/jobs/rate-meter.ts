/** Units per second over a sliding window of recent samples (bounded memory). */
export class RateMeter {
  private readonly samples: Array<{ at: number; done: number }> = [];

  constructor(
    private readonly windowMs = 10_000,
    private readonly maxSamples = 64,
  ) {}

  observe(at: number, done: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && done < last.done) this.samples.length = 0; // a reset starts a new series
    if (last && at === last.at) last.done = done;
    else this.samples.push({ at, done });
    while (this.samples.length > this.maxSamples) this.samples.shift();
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
  }

  /** Null until two samples span some time. */
  ratePerSec(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return null;
    return ((last.done - first.done) * 1000) / (last.at - first.at);
  }
}
