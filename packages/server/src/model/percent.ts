import type { JobRecord } from './job-record.js';
import { runningStep } from './steps.js';

const FINISHED_STEP = new Set(['done', 'skipped', 'failed']);

/**
 * Percent of a job's work done, 0–100 (not yet clamped to be monotone):
 * - declared steps (positive weights): finished steps count whole, the running one by its own
 *   units; job-wide units, when there are some, count too (whichever says more);
 * - no declared steps: the units (the whole job's, or the running step's as the best measure
 *   there is), else the percent the job already has.
 */
export function percentOf(job: Pick<JobRecord, 'steps' | 'currentStep' | 'done' | 'total' | 'percent'>): number {
  const unitsFraction = job.total !== null && job.total > 0 ? Math.min(1, job.done / job.total) : null;
  const plannedWeight = job.steps.reduce((sum, step) => sum + step.weight, 0);
  if (plannedWeight <= 0) return unitsFraction === null ? job.percent : unitsFraction * 100;
  const current = runningStep(job);
  const stepScoped = current?.total !== undefined;
  let doneWeight = 0;
  for (const step of job.steps) if (FINISHED_STEP.has(step.status)) doneWeight += step.weight;
  if (current && stepScoped) doneWeight += current.weight * (unitsFraction ?? 0);
  const bySteps = (doneWeight / plannedWeight) * 100;
  return !stepScoped && unitsFraction !== null ? Math.max(bySteps, unitsFraction * 100) : bySteps;
}
