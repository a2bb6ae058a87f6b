import type { ReactNode } from 'react';
import type { Job } from '@headway/client';

const PENDING_LABEL: Record<string, string> = { pause: 'pausing…', cancel: 'cancelling…' };

/**
 * The job's status, plus the control intent while the worker has not acknowledged it yet
 * ("running · pausing…"): what was asked is not what has happened.
 */
export function StatusBadge(props: { job: Pick<Job, 'status' | 'control'> }): ReactNode {
  const { status, control } = props.job;
  const pending = (status === 'running' || status === 'queued') && control !== 'run' ? PENDING_LABEL[control] : undefined;
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {status}
      {pending && <span className="badge-pending"> · {pending}</span>}
    </span>
  );
}
