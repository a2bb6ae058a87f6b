import type { ReactNode } from 'react';
import type { Job, JobStep } from '@headway/client';
import { formatDuration, formatTime } from '../../format/duration';

const STEP_ICON: Record<JobStep['status'], string> = { done: '✓', running: '▶', pending: '○', failed: '✕', skipped: '–' };

/**
 * Steps in order: done ones with their duration, the current one counting, upcoming ones
 * greyed. The bar under each shows its share of the time spent so far.
 */
export function StepTimeline(props: { job: Job; now: number }): ReactNode {
  const { steps } = props.job;
  if (steps.length === 0) return <p className="muted">This job does not declare steps.</p>;
  const durations = steps.map((step) => stepDurationMs(step, props.now, props.job.finishedAt));
  const longest = Math.max(1, ...durations.map((ms) => ms ?? 0));
  return (
    <ol className="timeline" aria-label="Steps">
      {steps.map((step, index) => {
        const ms = durations[index] ?? null;
        const current = step.status === 'running';
        return (
          <li key={step.name} className={`step step-${step.status}`} aria-current={current ? 'step' : undefined}>
            <span className="step-icon" aria-hidden="true">
              {STEP_ICON[step.status]}
            </span>
            <span className="step-name">{step.name}</span>
            <span className="step-state">
              {step.status}
              {step.startedAt !== null && <span className="muted"> · from {formatTime(step.startedAt)}</span>}
            </span>
            <span className="step-duration">{ms === null ? '—' : formatDuration(ms)}</span>
            <span className="step-bar" aria-hidden="true">
              <span style={{ transform: `scaleX(${(ms ?? 0) / longest})` }} />
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** Ended − started; a running step counts to now, a step left open by a finished job to its finish. */
export function stepDurationMs(step: JobStep, now: number, finishedAt: number | null): number | null {
  if (step.startedAt === null) return null;
  const end = step.endedAt ?? (step.status === 'running' ? (finishedAt ?? now) : finishedAt);
  return end === null ? null : Math.max(0, end - step.startedAt);
}
