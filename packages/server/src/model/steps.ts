import type { JobEventData, JobStep } from '@headway/protocol';
import type { JobRecord } from './job-record.js';

export type StepsView = Pick<JobRecord, 'steps' | 'currentStep'>;

/** The step now running, if the job has one. */
export function runningStep(job: StepsView): JobStep | undefined {
  if (job.currentStep === null) return undefined;
  return job.steps.find((step) => step.name === job.currentStep && step.status === 'running');
}

/** True when done/total count the running step's own units rather than the whole job's. */
export function unitsAreStepScoped(job: StepsView): boolean {
  return runningStep(job)?.total !== undefined;
}

export interface StepSwitch {
  steps: JobStep[];
  events: JobEventData[];
}

/**
 * Moves the job to step `name`: the running step is done, declared steps still pending before
 * the new one were passed over (skipped), and a name nobody declared is appended with weight 0
 * (an unplanned step takes no share of the declared plan, so the percent does not jump back).
 */
export function switchStep(job: StepsView, name: string, now: number): StepSwitch {
  const steps = job.steps.map((step) => ({ ...step }));
  const events: JobEventData[] = [];
  const previous = steps.find((step) => step.name === job.currentStep && step.status === 'running');
  if (previous) {
    previous.status = 'done';
    previous.endedAt = now;
    events.push({ kind: 'step', name: previous.name, status: 'done' });
  }
  let index = steps.findIndex((step) => step.name === name);
  if (index < 0) {
    // Unplanned: appended without passing over the declared steps still to come.
    steps.push({ name, weight: 0, status: 'pending', startedAt: null, endedAt: null });
    index = steps.length - 1;
  } else {
    for (const passed of steps.slice(0, index)) {
      if (passed.status !== 'pending') continue;
      passed.status = 'skipped';
      events.push({ kind: 'step', name: passed.name, status: 'skipped' });
    }
  }
  const next = steps[index]!;
  delete next.total; // a step run again starts counting afresh
  next.status = 'running';
  next.startedAt = now;
  next.endedAt = null;
  events.push({ kind: 'step', name: next.name, status: 'running' });
  return { steps, events };
}

/** Marks the running step as counting its own units, with this total. */
export function scopeUnitsToStep(steps: JobStep[], currentStep: string, total: number): JobStep[] {
  return steps.map((step) => (step.name === currentStep && step.status === 'running' ? { ...step, total } : step));
}
