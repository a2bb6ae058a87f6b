import type { Eta } from '@headway/protocol';
import { etaOf } from './eta-of.js';
import { adaptiveEstimate } from './adaptive.js';
import { EwmaRate } from './ewma.js';
import { linearEstimate } from './linear.js';
import { priorEstimate } from './prior.js';
import { ReportGaps } from './report-gaps.js';
import { SampleWindow, variability } from './samples.js';
import { carryThroughSilence } from './silence.js';
import { WorkClock } from './work-clock.js';

export type EtaMethodName = 'linear' | 'ewma' | 'adaptive';

export interface EtaTracker {
  /** A progress report: `fraction` 0..1 done at `now`. A lower fraction than before starts a new series (a reset). */
  observe(now: number, fraction: number): void;
  /** Time between pause and resume is not work time. A resume before any report starts the clock. */
  pause(now: number): void;
  resume(now: number): void;
  /** The best estimate, naming the method that produced it; the prior before any progress. */
  estimate(now: number): Eta | null;
  estimateAll(now: number): Record<EtaMethodName, Eta | null>;
  /** Samples held: bounded however many reports arrive. */
  readonly sampleCount: number;
}

export interface EtaTrackerOptions {
  /** Work durations of earlier completed jobs of the same type (the prior). */
  priorDurationsMs?: number[];
  /** When the job started, if known; otherwise the first report starts the clock. */
  startedAt?: number | null;
  /** Time the job has already spent paused since `startedAt` (a tracker rebuilt mid-job). */
  pausedMs?: number;
}

/** Silence longer than this many typical gaps between reports is a stall… */
const STALL_GAPS = 3;
/** …and never shorter than this. */
const MIN_STALL_MS = 1_000;

/**
 * One job's ETA. Pure: time is always passed in. Reports are kept on the work clock in a
 * bounded window; each method estimates as of the newest report, then the estimate is
 * carried to `now` (counting down, or growing through a stall: silence.ts).
 */
export function createEtaTracker(options: EtaTrackerOptions = {}): EtaTracker {
  const prior = options.priorDurationsMs ?? [];
  const clock = new WorkClock(options.startedAt ?? null, options.pausedMs ?? 0);
  const window = new SampleWindow();
  const ewma = new EwmaRate();
  const gaps = new ReportGaps();
  // Numbers in an object's fields, rewritten in place; in closure variables every report boxed new ones.
  /** The newest progress: on the work clock (NaN before any) and on the wall clock. */
  const lastProgress = { workMs: Number.NaN, wallMs: 0 };

  const add = (workMs: number, fraction: number, now: number) => {
    window.add(workMs, fraction);
    ewma.observe(workMs, fraction);
    lastProgress.workMs = workMs;
    lastProgress.wallMs = clock.wallAt(now);
  };
  const restart = (workMs: number, fraction: number, now: number, clockWasRunning: boolean) => {
    // With a known start and no report before, the start itself is the first sample (0 done).
    const fromStart = Number.isNaN(lastProgress.workMs) && clockWasRunning && workMs > 0;
    window.clear();
    ewma.reset();
    gaps.reset();
    if (fromStart) add(0, 0, now);
    add(workMs, fraction, now);
  };

  const atLastReport = (now: number): Record<EtaMethodName, Eta | null> => {
    const n = window.length;
    if (n === 0 || window.fraction(n - 1) <= 0) return { linear: null, ewma: null, adaptive: null };
    const cv = variability(window, window.workMs(0), window.workMs(n - 1));
    return {
      linear: linearEstimate(window.fraction(n - 1), lastProgress.wallMs, cv, n, now),
      ewma: ewma.estimate(now),
      adaptive: adaptiveEstimate(window, now),
    };
  };

  const carried = (eta: Eta | null, now: number): Eta | null => {
    const n = window.length;
    if (!eta || n === 0) return eta;
    if (window.fraction(n - 1) >= 1) return etaOf(0, 0, 0, eta.confidence, eta.method, now);
    const stallAfterMs = Math.max(MIN_STALL_MS, STALL_GAPS * (gaps.typicalMs() ?? 0));
    return carryThroughSilence(eta, Math.max(0, clock.workAt(now) - window.workMs(n - 1)), stallAfterMs, now);
  };

  return {
    observe(now, fraction) {
      if (!Number.isFinite(fraction)) return;
      const clockWasRunning = clock.started;
      clock.start(now);
      const f = Math.min(1, Math.max(0, fraction));
      const workMs = clock.workAt(now);
      const n = window.length;
      if (n === 0 || f < window.fraction(n - 1)) return restart(workMs, f, now, clockWasRunning);
      if (f === window.fraction(n - 1)) return; // a report without progress is a heartbeat, not a sample: silence is judged from the last progress
      gaps.add(Number.isNaN(lastProgress.workMs) ? 0 : workMs - lastProgress.workMs);
      add(Math.max(workMs, window.workMs(n - 1)), f, now);
    },
    pause: (now) => clock.pause(now),
    resume(now) {
      // The first resume is the start (the service resumes the clock when the job starts running).
      if (!clock.started) clock.start(now);
      else clock.resume(now);
    },
    estimate(now) {
      const n = window.length;
      if (n === 0 || window.fraction(n - 1) <= 0) return priorEstimate(prior, clock.workAt(now), now);
      if (window.fraction(n - 1) >= 1) return etaOf(0, 0, 0, 1, 'adaptive', now);
      const all = atLastReport(now);
      const best = all.adaptive ?? all.ewma ?? all.linear;
      if (!best) return priorEstimate(prior, clock.workAt(now), now);
      return carried(withAgreement(best, all.ewma), now);
    },
    estimateAll(now) {
      const all = atLastReport(now);
      return { linear: carried(all.linear, now), ewma: carried(all.ewma, now), adaptive: carried(all.adaptive, now) };
    },
    get sampleCount() {
      return window.length;
    },
  };
}

/** Less confidence when the smoothed rate disagrees with the chosen one. */
function withAgreement(best: Eta, other: Eta | null): Eta {
  if (!other || other === best || best.remainingMs <= 0 || other.remainingMs <= 0) return best;
  const ratio = Math.min(best.remainingMs, other.remainingMs) / Math.max(best.remainingMs, other.remainingMs);
  return etaOf(best.remainingMs, best.low, best.high, Math.round(best.confidence * (0.5 + 0.5 * ratio) * 100) / 100, best.method, best.at);
}
