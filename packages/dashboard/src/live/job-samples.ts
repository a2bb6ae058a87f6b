import type { Job, JobEvent } from '@headway/client';

/** One observation of a job for the charts: progress, rate and the ETA as a predicted finish time. */
export interface JobSample {
  at: number;
  percent: number;
  done: number;
  ratePerSec: number | null;
  /** Predicted finish (epoch ms) and its interval, when the job had an ETA. */
  finishAt: number | null;
  finishLow: number | null;
  finishHigh: number | null;
}

/** Keeps charts cheap on jobs that run for days: past this, older samples are thinned by half. */
export const MAX_SAMPLES = 3_000;

export function sampleOf(job: Job): JobSample {
  const eta = job.eta;
  return {
    at: job.updatedAt,
    percent: job.percent,
    done: job.done,
    ratePerSec: job.metrics.ratePerSec,
    finishAt: eta ? eta.at + eta.remainingMs : null,
    finishLow: eta ? eta.at + eta.low : null,
    finishHigh: eta ? eta.at + eta.high : null,
  };
}

/** Appends a sample if it says something new (time moved on); thins the older half when full. */
export function addSample(samples: JobSample[], sample: JobSample): JobSample[] {
  const last = samples[samples.length - 1];
  if (last && sample.at <= last.at) return samples;
  const next = [...samples, sample];
  if (next.length <= MAX_SAMPLES) return next;
  const half = Math.floor(next.length / 2);
  return [...next.slice(0, half).filter((_, i) => i % 2 === 0), ...next.slice(half)];
}

/**
 * Progress known from the audit trail, for time before the page was open: the start, each
 * percent milestone, and the finish. Ticks are not history, so this is coarse by design.
 */
export function samplesFromEvents(events: readonly JobEvent[], job: Job): JobSample[] {
  const points: JobSample[] = [];
  const point = (at: number, percent: number): JobSample => ({ at, percent, done: NaN, ratePerSec: null, finishAt: null, finishLow: null, finishHigh: null });
  for (const event of events) {
    if (event.kind === 'transition' && event.to === 'running' && points.length === 0) points.push(point(event.at, 0));
    if (event.kind === 'milestone') points.push(point(event.at, event.percent));
    if (event.kind === 'transition' && event.to === 'completed') points.push(point(event.at, 100));
  }
  if (points.length === 0 && job.startedAt !== null) points.push(point(job.startedAt, 0));
  return points.sort((a, b) => a.at - b.at);
}
