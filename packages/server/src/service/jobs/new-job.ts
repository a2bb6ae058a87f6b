import { HeadwayError, type ChildJobSpec, type CreateJobBody, type JobStep } from '@headway/protocol';
import { uuidv7 } from 'uuidv7';
import type { JobRecord } from '../../model/job-record.js';

const DEFAULT_MAX_ATTEMPTS = 3;

/** Builds the records of a new job and its children (parent first), all queued. */
export function buildJobTree(body: CreateJobBody, owner: string | null, now: number): JobRecord[] {
  const root = buildJob(body, owner, body.parentId ?? null, now);
  const children = (body.children ?? []).map((child) => buildJob(child, owner, root.id, now));
  if (children.length > 0) root.counts = emptyCounts(children.length);
  return [root, ...children];
}

function buildJob(spec: ChildJobSpec, owner: string | null, parentId: string | null, now: number): JobRecord {
  assertUniqueStepNames(spec);
  return {
    id: uuidv7(),
    type: spec.type,
    title: spec.title ?? null,
    owner: spec.owner ?? owner,
    parentId,
    tags: [...new Set(spec.tags ?? [])],
    metadata: spec.metadata ?? {},
    status: 'queued',
    control: 'run',
    percent: 0,
    done: 0,
    total: spec.total ?? null,
    unit: spec.unit ?? null,
    steps: (spec.steps ?? []).map(
      (step): JobStep => ({ name: step.name, weight: step.weight ?? 1, status: 'pending', startedAt: null, endedAt: null }),
    ),
    currentStep: null,
    message: null,
    eta: null,
    metrics: { ratePerSec: null, errors: 0, custom: {} },
    counts: null,
    weight: spec.weight ?? 1,
    checkpoint: null,
    result: null,
    error: null,
    attempt: 1,
    maxAttempts: spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    runAfter: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
    activeAt: now,
    pausedMs: 0,
    pausedAt: null,
    seq: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    milestones: [],
  };
}

function emptyCounts(total: number): NonNullable<JobRecord['counts']> {
  return { total, pending: total, running: 0, paused: 0, completed: 0, failed: 0, cancelled: 0 };
}

/** Steps are reported by name: a second step of the same name could never be reported. */
function assertUniqueStepNames(spec: ChildJobSpec): void {
  const seen = new Set<string>();
  for (const { name } of spec.steps ?? []) {
    if (seen.has(name)) throw new HeadwayError('VALIDATION_FAILED', `step "${name}" appears twice in steps; give each step a name of its own`);
    seen.add(name);
  }
}
