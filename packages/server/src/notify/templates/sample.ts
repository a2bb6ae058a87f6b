import { DIGEST_TEMPLATE, type JobSummary, type NotificationData } from '../types.js';

const AT = Date.UTC(2026, 0, 15, 9, 30);

const SAMPLE_JOB: JobSummary = {
  id: '0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b',
  type: 'video.assemble',
  title: 'Assemble "Launch <teaser>"',
  owner: 'sample-user',
  parentId: null,
  status: 'completed',
  percent: 100,
  done: 240,
  total: 240,
  unit: 'shots',
  message: 'Rendered 240 of 240 shots',
  tags: ['video'],
  error: null,
  counts: null,
  createdAt: AT - 3_600_000,
  startedAt: AT - 3_500_000,
  finishedAt: AT,
};

/** A plausible notification of a type, for template previews and for checking a template before saving it. */
export function sampleData(type: string): NotificationData {
  const base: NotificationData = { type, at: AT, job: SAMPLE_JOB };
  switch (type) {
    case 'job.failed':
      return { ...base, job: { ...SAMPLE_JOB, status: 'failed', percent: 72, error: { message: 'Import failed at row 40,112', code: 'BAD_ROW', attempt: 3, at: AT } } };
    case 'job.milestone':
      return { ...base, percent: 50, job: { ...SAMPLE_JOB, status: 'running', percent: 50 } };
    case 'batch.completed': {
      const counts = { total: 120, pending: 0, running: 0, paused: 0, completed: 117, failed: 3, cancelled: 0 };
      return { ...base, counts, job: { ...SAMPLE_JOB, counts } };
    }
    case DIGEST_TEMPLATE: {
      const items = [1, 2, 3].map((i) => ({ type: 'job.completed', at: AT - i * 60_000, job: { ...SAMPLE_JOB, id: `${SAMPLE_JOB.id.slice(0, -1)}${i}`, title: `Import part ${i}` } }));
      return { type: 'job.completed', at: AT, job: null, digest: { count: items.length, windowStart: AT - 3_600_000, windowEnd: AT, items } };
    }
    default:
      if (type.startsWith('alert.')) {
        const kind = type.slice('alert.'.length);
        return { ...base, job: null, alert: { kind, ...(SAMPLE_ALERTS[kind] ?? SAMPLE_ALERTS.stalled!) } };
      }
      return base;
  }
}

/** What the alert monitor (src/alerts) says and tells the templates for each kind it raises. */
const SAMPLE_JOB_FACTS = { jobId: SAMPLE_JOB.id, jobType: 'import.csv', title: 'Import customers', attempt: 1, percent: 37, lastMessage: 'Read 40,112 of 108,000 rows' };
const SAMPLE_ALERTS: Record<string, { message: string; [fact: string]: unknown }> = {
  stalled: {
    message: 'Import customers (import.csv 0193…) has shown no progress for 12 min',
    ...SAMPLE_JOB_FACTS,
    lastActivityAt: AT - 720_000,
    quietMs: 720_000,
    quietFor: '12 min',
  },
  queue_deep: { message: '1250 jobs of type import.csv are waiting in the queue (threshold 1000)', jobType: 'import.csv', queued: 1250, queueDepth: 1000 },
  failing: {
    message: '6 of the last 9 jobs of type import.csv failed (67%) within 15 min',
    jobType: 'import.csv',
    failed: 6,
    finished: 9,
    failureRate: 6 / 9,
    failedPercent: 67,
    thresholdPercent: 50,
    windowMs: 900_000,
    window: '15 min',
  },
  slow: {
    message: 'Import customers (import.csv 0193…) has worked for 48 min, over 3× the usual 14 min (p90) of its type',
    ...SAMPLE_JOB_FACTS,
    startedAt: AT - 2_880_000,
    workMs: 2_880_000,
    workedFor: '48 min',
    p90Ms: 840_000,
    p90For: '14 min',
    slowFactor: 3,
  },
};
