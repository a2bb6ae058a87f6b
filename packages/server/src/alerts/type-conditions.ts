import type { Config } from '../config/config.js';
import type { AlertInput } from '../notify/notifier.js';
import type { ActiveCountRow, TypeOutcomeRow } from '../store/analytics-store.js';
import { durationText } from './duration-text.js';

type Settings = Config['alerts'];

/** Types whose queue holds queueDepth jobs or more. Pure. */
export function deepQueues(rows: readonly ActiveCountRow[], settings: Settings): Map<string, number> {
  return new Map(rows.filter((row) => row.queued >= settings.queueDepth).map((row) => [row.type, row.queued]));
}

export function queueDeepAlert(type: string, queued: number, episode: number, settings: Settings): AlertInput {
  return {
    type: 'alert.queue_deep',
    id: `queue_deep:${type}:${episode}`,
    message: `${queued} jobs of type ${type} are waiting in the queue (threshold ${settings.queueDepth})`,
    jobType: type,
    recipients: settings.recipients,
    facts: { jobType: type, queued, queueDepth: settings.queueDepth },
  };
}

/**
 * Types that failed failureRate or more of their jobs finished in the window, counting at least
 * minFinished. Cancelled jobs are left out: a cancel is someone's decision, not a failure. Pure.
 */
export function failingTypes(rows: readonly TypeOutcomeRow[], settings: Settings): Map<string, { failed: number; finished: number }> {
  const failing = new Map<string, { failed: number; finished: number }>();
  for (const row of rows) {
    const finished = row.completed + row.failed;
    if (finished >= settings.minFinished && row.failed / finished >= settings.failureRate) failing.set(row.type, { failed: row.failed, finished });
  }
  return failing;
}

export function failingAlert(type: string, counts: { failed: number; finished: number }, episode: number, settings: Settings): AlertInput {
  const percent = Math.round((100 * counts.failed) / counts.finished);
  const window = durationText(settings.windowMs);
  return {
    type: 'alert.failing',
    id: `failing:${type}:${episode}`,
    message: `${counts.failed} of the last ${counts.finished} jobs of type ${type} failed (${percent}%) within ${window}`,
    jobType: type,
    recipients: settings.recipients,
    facts: {
      jobType: type,
      ...counts,
      failureRate: counts.failed / counts.finished,
      failedPercent: percent,
      thresholdPercent: Math.round(100 * settings.failureRate),
      windowMs: settings.windowMs,
      window,
    },
  };
}
