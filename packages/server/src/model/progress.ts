import { HeadwayError, type JobEventData, type JobStep } from '@headway/protocol';
import type { JobRecord } from './job-record.js';

export interface ProgressInput {
  done?: number;
  total?: number;
  percent?: number;
  step?: string;
  message?: string;
  unit?: string;
  metrics?: Record<string, number>;
  reset?: boolean;
}

export interface ProgressPlan {
  patch: Partial<JobRecord>;
  /** Durable events: step changes and milestones. */
  events: JobEventData[];
}

export const DEFAULT_MILESTONES = [25, 50, 75];

/**
 * Applies one progress report. Percent is derived (steps by weight, units inside the current
 * step or the whole job, or an explicit percent), clamped to 0–100 and never goes down unless
 * the report says `reset`.
 */
export function applyProgress(job: JobRecord, input: ProgressInput, now: number, milestonePercents: number[] = DEFAULT_MILESTONES): ProgressPlan {
  validate(job, input);
  const events: JobEventData[] = [];
  let steps = job.steps;
  let currentStep = job.currentStep;
  let done = input.done ?? job.done;
  let total = input.total ?? job.total;
  if (input.step !== undefined && input.step !== job.currentStep) {
    steps = steps.map((s) => ({ ...s }));
    const previous = steps.find((s) => s.name === job.currentStep && s.status === 'running');
    if (previous) {
      previous.status = 'done';
      previous.endedAt = now;
      events.push({ kind: 'step', name: previous.name, status: 'done' });
    }
    let next = steps.find((s) => s.name === input.step);
    if (!next) {
      next = { name: input.step, weight: 1, status: 'pending', startedAt: null, endedAt: null } satisfies JobStep;
      steps.push(next);
    }
    next.status = 'running';
    next.startedAt = now;
    next.endedAt = null;
    events.push({ kind: 'step', name: next.name, status: 'running' });
    currentStep = next.name;
    // Units count inside a step: a new step starts its own count unless the report says otherwise.
    if (job.steps.length > 0 && input.done === undefined) done = 0;
    if (job.steps.length > 0 && input.total === undefined) total = null;
  }
  const derived = input.percent ?? percentOf({ steps, currentStep, done, total, percent: job.percent });
  const bounded = clamp(derived);
  const percent = input.reset ? bounded : Math.max(job.percent, bounded);
  const milestones = [...job.milestones];
  for (const milestone of milestonePercents) {
    if (percent >= milestone && !milestones.includes(milestone)) {
      milestones.push(milestone);
      events.push({ kind: 'milestone', percent: milestone });
    }
  }
  const patch: Partial<JobRecord> = { steps, currentStep, done, total, percent, milestones, updatedAt: now };
  if (input.message !== undefined) patch.message = input.message;
  if (input.unit !== undefined) patch.unit = input.unit;
  if (input.metrics) patch.metrics = { ...job.metrics, custom: { ...job.metrics.custom, ...input.metrics } };
  return { patch, events };
}

/** Percent from weighted steps (finished ones whole, the current one by its units) or from units alone. */
export function percentOf(job: Pick<JobRecord, 'steps' | 'currentStep' | 'done' | 'total' | 'percent'>): number {
  const fraction = job.total && job.total > 0 ? Math.min(1, job.done / job.total) : null;
  if (job.steps.length === 0) return fraction === null ? job.percent : fraction * 100;
  const totalWeight = job.steps.reduce((sum, s) => sum + s.weight, 0);
  if (totalWeight <= 0) return job.percent;
  let doneWeight = 0;
  for (const step of job.steps) {
    if (step.status === 'done' || step.status === 'skipped' || step.status === 'failed') doneWeight += step.weight;
    else if (step.name === job.currentStep && step.status === 'running') doneWeight += step.weight * (fraction ?? 0);
  }
  return (doneWeight / totalWeight) * 100;
}

function clamp(percent: number): number {
  return Math.min(100, Math.max(0, percent));
}

function validate(job: JobRecord, input: ProgressInput): void {
  for (const field of ['done', 'total', 'percent'] as const) {
    const value = input[field];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new HeadwayError('VALIDATION_FAILED', `"${field}" must be a finite number ≥ 0 (got ${value}) in the report for job ${job.id}`);
    }
  }
  if (input.percent !== undefined && input.percent > 100) throw new HeadwayError('VALIDATION_FAILED', `"percent" must be between 0 and 100 (got ${input.percent})`);
  const total = input.total ?? (input.step !== undefined && input.step !== job.currentStep && job.steps.length > 0 ? undefined : job.total ?? undefined);
  if (input.done !== undefined && total !== undefined && total !== null && input.done > total) {
    throw new HeadwayError('VALIDATION_FAILED', `"done" (${input.done}) exceeds "total" (${total}) for job ${job.id}; send the new total with the report`);
  }
  if (input.metrics) {
    for (const [name, value] of Object.entries(input.metrics)) {
      if (!Number.isFinite(value)) throw new HeadwayError('VALIDATION_FAILED', `metric "${name}" must be a finite number`);
    }
  }
}
