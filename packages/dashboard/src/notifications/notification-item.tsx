import type { ReactNode } from 'react';
import type { InAppNotification } from '@headway/client';
import { formatDuration, formatWhen } from '../format/duration';
import { hrefOf } from '../router/route';
import { MuteJobButton } from './mute-job-button';

const TYPE_TONE: Record<string, string> = { 'job.completed': 'completed', 'batch.completed': 'completed', 'job.failed': 'failed', 'job.cancelled': 'cancelled', 'job.started': 'running', 'job.milestone': 'running' };

/**
 * One notification: what happened, its type and age, a link to the job, read state, "New" when
 * it had not been shown before this opening of the panel, and a mute toggle for its job.
 */
export function NotificationItem(props: { notification: InAppNotification; isNew: boolean; now: number; onRead: () => void; onNavigate: () => void }): ReactNode {
  const { notification: n, now } = props;
  const unread = n.readAt === null;
  const title = n.title ?? n.type;
  const tone = TYPE_TONE[n.type] ?? (n.type.startsWith('alert.') ? 'failed' : 'queued');
  return (
    <li className={`notification${unread ? ' is-unread' : ''}`} data-notification-id={n.id} data-read={unread ? 'false' : 'true'} data-new={props.isNew}>
      <span className="unread-dot" aria-hidden="true" />
      <div className="notification-body">
        <p className="notification-title">
          {unread && <span className="visually-hidden">Unread: </span>}
          {title}
        </p>
        {n.text && <p className="notification-text">{n.text}</p>}
        <p className="notification-meta">
          {props.isNew && <span className="new-tag">New</span>}
          <span className={`badge badge-${tone}`}>{n.type}</span>
          <time dateTime={new Date(n.createdAt).toISOString()} title={formatWhen(n.createdAt, now)}>
            {ago(n.createdAt, now)}
          </time>
          {n.jobId && (
            <a href={hrefOf(['jobs', n.jobId])} onClick={props.onNavigate}>
              View job
            </a>
          )}
        </p>
      </div>
      <div className="notification-actions">
        {unread && (
          <button type="button" className="ghost small" aria-label={`Mark read: ${title}`} onClick={props.onRead}>
            Mark read
          </button>
        )}
        {n.jobId && <MuteJobButton userId={n.userId} jobId={n.jobId} name={`Mute job: ${title}`} />}
      </div>
    </li>
  );
}

function ago(at: number, now: number): string {
  const ms = now - at;
  if (ms < 45_000) return 'just now';
  if (ms > 7 * 86_400_000) return formatWhen(at, now);
  return `${formatDuration(ms).replace(/ \d+ s$/, '')} ago`;
}
