import type { Config } from '../config/config.js';
import type { RunningJobFacts } from '../store/store.js';
import type { AlertInput } from '../notify/notifier.js';
import { durationText } from './duration-text.js';
import { p90 } from './p90.js';

/** Completed durations a type needs before "slow" means anything. */
export const MIN_SLOW_SAMPLES = 5;

type Settings = Config['alerts'];

function nameOf(job: RunningJobFacts): string {
  return job.title ? `${job.title} (${job.type} ${job.id})` : `${job.type} ${job.id}`;
}

/** What the built-in templates (notify/templates/alert-templates.ts) say about the job. */
function jobFacts(job: RunningJobFacts): Record<string, unknown> {
  return { jobId: job.id, jobType: job.type, title: job.title, attempt: job.attempt, percent: job.percent, lastMessage: job.message };
}

/**
 * A running job with no progress nor transition for stalledAfterMs. The id holds the last activity
 * time too: every node reads the same row, so they raise the same id; the job moving again and
 * stopping again is a new stall with a new alert. Pure.
 */
export function stalledAlert(job: RunningJobFacts, now: number, settings: Settings): AlertInput | null {
  const quietMs = now - job.updatedAt;
  if (quietMs < settings.stalledAfterMs) return null;
  return {
    type: 'alert.stalled',
    id: `stalled:${job.id}:${job.attempt}:${job.updatedAt}`,
    message: `${nameOf(job)} has shown no progress for ${durationText(quietMs)}`,
    jobId: job.id,
    jobType: job.type,
    owner: job.owner,
    recipients: settings.recipients,
    facts: { ...jobFacts(job), lastActivityAt: job.updatedAt, quietMs, quietFor: durationText(quietMs) },
  };
}

/** A running job working longer than slowFactor × the p90 of its type's completed durations. Pure. */
export function slowAlert(job: RunningJobFacts, now: number, priorDurationsMs: readonly number[], settings: Settings): AlertInput | null {
  if (job.startedAt === null || priorDurationsMs.length < MIN_SLOW_SAMPLES) return null;
  const typicalMs = p90(priorDurationsMs)!;
  const workMs = now - job.startedAt - job.pausedMs;
  if (workMs <= settings.slowFactor * typicalMs) return null;
  return {
    type: 'alert.slow',
    id: `slow:${job.id}:${job.attempt}`,
    message: `${nameOf(job)} has worked for ${durationText(workMs)}, over ${settings.slowFactor}× the usual ${durationText(typicalMs)} (p90) of its type`,
    jobId: job.id,
    jobType: job.type,
    owner: job.owner,
    recipients: settings.recipients,
    facts: { ...jobFacts(job), startedAt: job.startedAt, workMs, workedFor: durationText(workMs), p90Ms: typicalMs, p90For: durationText(typicalMs), slowFactor: settings.slowFactor },
  };
}
