import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { HeadwayStats } from '../../headway.js';

const SAMPLE_EVERY_MS = 5_000;
const NS_PER_MS = 1e6;
const RESOLUTION_MS = 10;

export interface SystemSample {
  reportsPerSec: number;
  eventsPerSec: number;
  eventLoop: { delayP50Ms: number; delayP99Ms: number; delayMaxMs: number };
}

/**
 * Turns the node's ever-growing counters into rates over the last window, and keeps the
 * event-loop delay of that window. Before the first window ends, figures cover the time since start.
 */
export class SystemSampler {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private timer: NodeJS.Timeout | undefined;
  private last: { at: number; reports: number; events: number };
  private sample: SystemSample | null = null;

  constructor(private readonly stats: HeadwayStats, private readonly now: () => number = Date.now) {
    this.last = { at: now(), reports: stats.reportsAccepted, events: stats.eventsPublished };
  }

  start(): void {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.sample = this.measure();
      this.last = { at: this.now(), reports: this.stats.reportsAccepted, events: this.stats.eventsPublished };
      this.histogram.reset();
    }, SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  current(): SystemSample {
    return this.sample ?? this.measure();
  }

  private measure(): SystemSample {
    const seconds = Math.max((this.now() - this.last.at) / 1000, 0.001);
    const h = this.histogram;
    // The histogram records the time between timer ticks, so an idle loop reads as the resolution.
    const ms = (ns: number) => (Number.isFinite(ns) && h.count > 0 ? Math.max(0, Math.round((ns / NS_PER_MS - RESOLUTION_MS) * 100) / 100) : 0);
    return {
      reportsPerSec: Math.round((this.stats.reportsAccepted - this.last.reports) / seconds),
      eventsPerSec: Math.round((this.stats.eventsPublished - this.last.events) / seconds),
      eventLoop: { delayP50Ms: ms(h.percentile(50)), delayP99Ms: ms(h.percentile(99)), delayMaxMs: ms(h.max) },
    };
  }
}
