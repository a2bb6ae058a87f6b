import { uuidv7 } from 'uuidv7';
import type { JobRecord } from '../../src/model/job-record.js';
import type { Store } from '../../src/store/store.js';

/** A queued job with every field set, as the service would build it; override what a test needs. */
export function makeJob(overrides: Partial<JobRecord> = {}): JobRecord {
  const createdAt = overrides.createdAt ?? 1_000;
  return {
    id: uuidv7(),
    type: 'import',
    title: null,
    owner: null,
    parentId: null,
    tags: [],
    metadata: {},
    status: 'queued',
    control: 'run',
    percent: 0,
    done: 0,
    total: null,
    unit: null,
    steps: [],
    currentStep: null,
    message: null,
    eta: null,
    metrics: { ratePerSec: null, errors: 0, custom: {} },
    counts: null,
    weight: 1,
    checkpoint: null,
    result: null,
    error: null,
    attempt: 1,
    maxAttempts: 3,
    runAfter: null,
    createdAt,
    startedAt: null,
    finishedAt: null,
    updatedAt: createdAt,
    pausedMs: 0,
    pausedAt: null,
    seq: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    milestones: [],
    // Every durable change sets activeAt to updatedAt; a fixture is one.
    activeAt: overrides.updatedAt ?? createdAt,
    ...overrides,
  };
}

/** Inserts jobs and returns them as stored (seq 1 after their `created` event). */
export async function seed(store: Store, jobs: JobRecord[], now = 1_000): Promise<JobRecord[]> {
  await store.jobs.insert(jobs, now);
  return jobs.map((job) => ({ ...job, seq: job.seq + 1 }));
}

/** Makes a stored job look as if it ran: status and timing fields set through one commit. */
export async function finish(store: Store, job: JobRecord, fields: Partial<JobRecord>, now = 5_000): Promise<JobRecord> {
  const result = await store.jobs.commit({ id: job.id, expectedSeq: job.seq, patch: fields, events: [{ kind: 'transition', from: job.status, to: fields.status ?? job.status }] }, now);
  if (!result.ok) throw new Error(`test setup: commit to ${job.id} lost a race`);
  return { ...job, ...fields, seq: job.seq + 1 };
}

export function ids(jobs: readonly { id: string }[]): string[] {
  return jobs.map((job) => job.id);
}
