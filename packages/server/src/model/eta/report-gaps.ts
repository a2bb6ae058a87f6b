const DECAY = 0.9;

/**
 * The typical gap between progress reports as a waiting observer experiences it: Σgap² / Σgap
 * over recent gaps (decayed). Steady reports every second give 1 s; ninety-nine quick reports
 * then five seconds of quiet give about 5 s, where a plain mean would say 50 ms and call
 * every quiet spell a stall.
 */
export class ReportGaps {
  private sum = 0;
  private sumOfSquares = 0;

  add(gapMs: number): void {
    if (!(gapMs >= 0)) return;
    this.sum = this.sum * DECAY + gapMs;
    this.sumOfSquares = this.sumOfSquares * DECAY + gapMs * gapMs;
  }

  /** Null until there has been a gap. */
  typicalMs(): number | null {
    return this.sum > 0 ? this.sumOfSquares / this.sum : null;
  }

  reset(): void {
    this.sum = 0;
    this.sumOfSquares = 0;
  }
}
