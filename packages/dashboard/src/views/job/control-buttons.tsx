import { useState, type ReactNode } from 'react';
import type { HeadwayClient, Job } from '@headway/client';

type Action = 'pause' | 'resume' | 'cancel' | 'retry';

/** What has been asked but not yet done by the worker (the control intent runs ahead of the status). */
export function pendingIntent(job: Pick<Job, 'status' | 'control'>): string | null {
  if (job.status === 'running' && job.control === 'pause') return 'Pause requested — waiting for the worker to reach a checkpoint…';
  if ((job.status === 'running' || job.status === 'paused' || job.status === 'queued') && job.control === 'cancel') return 'Cancel requested — waiting for the worker to stop…';
  return null;
}

function actionsFor(job: Job): Action[] {
  switch (job.status) {
    case 'queued':
      return ['pause', 'cancel'];
    case 'running':
      // A pending pause can be taken back (resume) before the worker acknowledges it.
      return job.control === 'run' ? ['pause', 'cancel'] : job.control === 'pause' ? ['resume', 'cancel'] : [];
    case 'paused':
      return ['resume', 'cancel'];
    case 'failed':
    case 'cancelled':
      return ['retry'];
    default:
      return [];
  }
}

const LABEL: Record<Action, string> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel', retry: 'Retry' };

/**
 * Pause / resume / cancel / retry. A click sends the intent; the job then shows the pending
 * state until its worker acknowledges by changing status (which arrives live).
 */
export function ControlButtons(props: { client: HeadwayClient; job: Job }): ReactNode {
  const [sending, setSending] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pending = pendingIntent(props.job);

  async function act(action: Action): Promise<void> {
    if (action === 'cancel' && !window.confirm(`Cancel “${props.job.title ?? props.job.type}”? Work done so far is kept, the rest is not run.`)) return;
    setSending(action);
    setError(null);
    try {
      await props.client[action](props.job.id);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSending(null);
    }
  }

  const actions = actionsFor(props.job);
  return (
    <div className="controls">
      <div className="control-buttons" role="group" aria-label="Job controls">
        {actions.map((action) => (
          <button key={action} type="button" className={action === 'cancel' ? 'danger' : 'primary'} disabled={sending !== null} onClick={() => void act(action)}>
            {sending === action ? `${LABEL[action]}…` : LABEL[action]}
          </button>
        ))}
      </div>
      {pending && (
        <p className="pending" role="status" data-testid="pending-intent">
          <span className="spinner" aria-hidden="true" /> {pending}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
