import type { Job, JobEvent } from '@headway/protocol';

/** A complete wire Job for pure tests; only the fields a test cares about are given. */
export function makeJob(overrides: Partial<Job> & { id: string }): Job {
  return {
    type: 'test',
    title: null,
    owner: null,
    parentId: null,
    tags: [],
    metadata: {},
    status: 'running',
    control: 'run',
    percent: 0,
    done: 0,
    total: 100,
    unit: 'rows',
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
    maxAttempts: 1,
    runAfter: null,
    createdAt: 1_000,
    startedAt: 1_000,
    finishedAt: null,
    updatedAt: 1_000,
    pausedMs: 0,
    seq: 1,
    ...overrides,
  };
}

export function transition(jobId: string, seq: number, from: Job['status'] | null, to: Job['status'], cursor?: number): JobEvent {
  return { kind: 'transition', from, to, jobId, seq, at: 1_000 + seq, ...(cursor === undefined ? {} : { cursor }) };
}
