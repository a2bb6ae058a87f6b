import type { Store } from '../../store/store.js';

const SAMPLE = 50;

/** Work durations of recent completed jobs per type, the ETA prior; refreshed after `ttlMs`. */
export class PriorDurations {
  private readonly byType = new Map<string, { at: number; durationsMs: number[] }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly ttlMs = 60_000,
  ) {}

  async get(type: string): Promise<number[]> {
    const cached = this.byType.get(type);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.durationsMs;
    const durationsMs = await this.store.jobs.recentDurations(type, SAMPLE);
    this.byType.set(type, { at: this.now(), durationsMs });
    return durationsMs;
  }

  /** What is known without waiting (possibly nothing). */
  peek(type: string): number[] {
    return this.byType.get(type)?.durationsMs ?? [];
  }
}
