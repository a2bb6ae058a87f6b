import { useState, type ReactNode } from 'react';
import type { JobEvent } from '@headway/client';
import { formatDateTime, formatWhen } from '../../format/duration';

const SHOWN = 200;

/** One line a person can read for each durable event. */
export function describeEvent(event: JobEvent): string {
  switch (event.kind) {
    case 'created':
      return 'Created';
    case 'transition':
      return `${event.from ?? 'new'} → ${event.to}${event.reason ? ` (${event.reason})` : ''}`;
    case 'step':
      return `Step “${event.name}” ${event.status}`;
    case 'milestone':
      return `Reached ${event.percent}%`;
    case 'control':
      return `${event.intent === 'run' ? 'Resume' : event.intent === 'pause' ? 'Pause' : 'Cancel'} requested${event.by ? ` by ${event.by}` : ''}`;
    case 'error':
      return `Error on attempt ${event.attempt}: ${event.message}${event.code ? ` [${event.code}]` : ''}`;
    case 'checkpoint':
      return 'Checkpoint saved';
    case 'log':
      return `${event.level}: ${event.message}`;
  }
}

/** The audit trail, newest first, the latest 200 unless asked for all. */
export function AuditTrail(props: { events: JobEvent[]; error: Error | null }): ReactNode {
  const [all, setAll] = useState(false);
  const newestFirst = [...props.events].reverse();
  const shown = all ? newestFirst : newestFirst.slice(0, SHOWN);
  return (
    <div className="audit">
      {props.error && (
        <p className="form-error" role="alert">
          The audit trail could not be loaded: {props.error.message}
        </p>
      )}
      <ol className="audit-list" aria-label="Audit trail, newest first">
        {shown.map((event) => (
          <li key={event.seq} className={`audit-item audit-${event.kind}${event.kind === 'log' ? ` audit-${event.level}` : ''}`}>
            <time dateTime={new Date(event.at).toISOString()} title={formatDateTime(event.at)}>
              {formatWhen(event.at)}
            </time>
            <span className="audit-seq muted">#{event.seq}</span>
            <span>{describeEvent(event)}</span>
          </li>
        ))}
      </ol>
      {!all && newestFirst.length > SHOWN && (
        <button type="button" className="ghost" onClick={() => setAll(true)}>
          Show all {newestFirst.length.toLocaleString()} events
        </button>
      )}
    </div>
  );
}
