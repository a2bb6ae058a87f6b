/**
 * The built-in words of each alert the monitor (src/alerts) raises: a headline saying what
 * happened, and a body with the facts and what to do. They read the alert's facts (`alert.*`,
 * see the monitor's conditions); an alert kind not listed here gets the generic template.
 */
export interface AlertWords {
  headline: string;
  body: string;
}

const JOB = `{{ alert.title | default: alert.jobType }}`;
const LAST_MESSAGE = `Last message: {{ alert.lastMessage | default: "(none)" }}`;

export const ALERT_WORDS: Record<string, AlertWords> = {
  'alert.stalled': {
    headline: `Stalled: ${JOB} has shown no progress for {{ alert.quietFor }}`,
    body: `Job {{ alert.jobId }} (type {{ alert.jobType }}) is running but has reported nothing since {{ alert.lastActivityAt | date: "%Y-%m-%d %H:%M %z" }}, {{ alert.percent | round }}% done, attempt {{ alert.attempt }}.
${LAST_MESSAGE}
What to do: check that the process running it is alive and not stuck (its logs, its host). If it is gone or stuck, fail the job (POST /v1/jobs/{{ alert.jobId }}/fail; a cancel waits for its worker to acknowledge) and retry it once the cause is fixed; if it is busy in a long step, have it report progress more often (any report ends the stall).`,
  },
  'alert.slow': {
    headline: `Slow: ${JOB} has worked {{ alert.workedFor }}, over {{ alert.slowFactor }}× the usual {{ alert.p90For }}`,
    body: `Job {{ alert.jobId }} (type {{ alert.jobType }}) has worked {{ alert.workedFor }} since {{ alert.startedAt | date: "%Y-%m-%d %H:%M %z" }}; 90% of the recent completed {{ alert.jobType }} jobs took {{ alert.p90For }} or less (p90). It is {{ alert.percent | round }}% done, attempt {{ alert.attempt }}.
${LAST_MESSAGE}
What to do: see whether its input is larger than usual or something it waits on is slow; cancel it if it will not finish in useful time.`,
  },
  'alert.queue_deep': {
    headline: `Queue too deep: {{ alert.queued }} {{ alert.jobType }} jobs are waiting`,
    body: `{{ alert.queued }} jobs of type {{ alert.jobType }} are queued, at or over the threshold of {{ alert.queueDepth }}.
What to do: check that workers for {{ alert.jobType }} are running and taking jobs; if they all are busy, add workers, or find what is creating so many jobs.`,
  },
  'alert.failing': {
    headline: `Failing: {{ alert.failed }} of the last {{ alert.finished }} {{ alert.jobType }} jobs failed within {{ alert.window }}`,
    body: `{{ alert.failed }} of the {{ alert.finished }} jobs of type {{ alert.jobType }} that finished within the last {{ alert.window }} failed ({{ alert.failedPercent }}%; the alert is at {{ alert.thresholdPercent }}%).
What to do: open the failed {{ alert.jobType }} jobs and read their errors; one error again and again points to a shared cause (a service they need, a recent deploy, bad input).`,
  },
};
