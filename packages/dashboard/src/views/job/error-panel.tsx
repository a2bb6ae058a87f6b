import type { ReactNode } from 'react';
import type { Job, JobEvent } from '@headway/client';
import { formatDateTime } from '../../format/duration';

/** The current error and every failed attempt before it (from the audit trail). */
export function ErrorPanel(props: { job: Job; events: JobEvent[] }): ReactNode {
  const attempts = props.events.filter((event): event is Extract<JobEvent, { kind: 'error' }> => event.kind === 'error');
  if (!props.job.error && attempts.length === 0) return null;
  return (
    <section className="card error-card" aria-labelledby="error-heading">
      <h2 id="error-heading">Error</h2>
      {props.job.error && (
        <p className="error-message">
          <strong>{props.job.error.message}</strong>
          {props.job.error.code && <code className="error-code">{props.job.error.code}</code>}
          <span className="muted">
            {' '}
            attempt {props.job.error.attempt} of {props.job.maxAttempts}, {formatDateTime(props.job.error.at)}
          </span>
        </p>
      )}
      {attempts.length > 0 && (
        <table className="simple-table">
          <caption>Attempt history</caption>
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">When</th>
              <th scope="col">Code</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((event) => (
              <tr key={event.seq}>
                <td>{event.attempt}</td>
                <td>{formatDateTime(event.at)}</td>
                <td>{event.code ?? '—'}</td>
                <td>{event.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.job.status === 'queued' && props.job.runAfter !== null && <p className="muted">Next attempt not before {formatDateTime(props.job.runAfter)}.</p>}
    </section>
  );
}
