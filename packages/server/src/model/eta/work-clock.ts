/**
 * Work time of one job: wall time since it started minus time spent paused. Pure: every
 * reading takes `now`. The clock starts at `startedAt` if known, else at the first reading
 * that calls `start`.
 */
export class WorkClock {
  private startedAt: number | null;
  private pausedSince: number | null = null;
  private pausedTotalMs: number;

  constructor(startedAt: number | null = null, pausedMs = 0) {
    this.startedAt = startedAt;
    this.pausedTotalMs = pausedMs;
  }

  get started(): boolean {
    return this.startedAt !== null;
  }

  start(now: number): void {
    if (this.startedAt === null) this.startedAt = now;
  }

  pause(now: number): void {
    if (this.pausedSince === null && this.startedAt !== null) this.pausedSince = now;
  }

  resume(now: number): void {
    if (this.pausedSince === null) return;
    this.pausedTotalMs += Math.max(0, now - this.pausedSince);
    this.pausedSince = null;
  }

  /** Milliseconds of work since the start (0 before it). */
  workAt(now: number): number {
    if (this.startedAt === null) return 0;
    const pausedNow = this.pausedSince === null ? 0 : Math.max(0, now - this.pausedSince);
    return Math.max(0, now - this.startedAt - this.pausedTotalMs - pausedNow);
  }

  /** Wall milliseconds since the start, pauses included (what a naive progress bar divides by). */
  wallAt(now: number): number {
    return this.startedAt === null ? 0 : Math.max(0, now - this.startedAt);
  }
}
