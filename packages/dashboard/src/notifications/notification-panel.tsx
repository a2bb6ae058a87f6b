import { useEffect, useRef, type ReactNode } from 'react';
import { useNotifications } from '@headway/react';
import { hrefOf } from '../router/route';
import { useNow } from '../live/use-now';
import { NotificationItem } from './notification-item';

export const PANEL_ID = 'notification-panel';

/** The live feed under the bell: newest first, unread marked, read one or all. */
export function NotificationPanel(props: { userId: string; onClose: (returnFocus: boolean) => void }): ReactNode {
  const feed = useNotifications(props.userId);
  const heading = useRef<HTMLHeadingElement>(null);
  const now = useNow(30_000);
  // Opening moves focus into the panel, so the keyboard continues from here.
  useEffect(() => heading.current?.focus(), []);
  // Not seen before this opening: tagged "New" for as long as the panel stays open.
  const fresh = useRef(new Set<string>());
  for (const n of feed.items) if (n.seenAt === null) fresh.current.add(n.id);
  // What the open panel lists has been seen (not read): on opening, and as pushes or older pages arrive.
  const { items, markSeen } = feed;
  useEffect(() => {
    const unseen = items.filter((n) => n.seenAt === null).map((n) => n.id);
    if (unseen.length > 0) void markSeen(unseen);
  }, [items, markSeen]);

  const unread = feed.unread ?? 0;
  return (
    <section id={PANEL_ID} className="notification-panel card" role="dialog" aria-modal="false" aria-labelledby="notification-panel-title" data-testid="notification-panel">
      <header className="notification-panel-head">
        <h2 id="notification-panel-title" ref={heading} tabIndex={-1}>
          Notifications
        </h2>
        <button type="button" className="ghost small" disabled={unread === 0} onClick={() => void feed.markAllRead()}>
          Mark all read
        </button>
        <button type="button" className="ghost small icon-button" aria-label="Close notifications" onClick={() => props.onClose(true)}>
          ✕
        </button>
      </header>
      {feed.error && (
        <p role="alert" className="form-error notification-error">
          {feed.error.message}
        </p>
      )}
      {feed.loading && feed.items.length === 0 ? (
        <p className="muted notification-empty">Loading…</p>
      ) : feed.items.length === 0 ? (
        <p className="muted notification-empty">Nothing yet. You will hear here when your jobs start, finish or fail.</p>
      ) : (
        <ul className="notification-list" aria-label={`${feed.items.length} notifications, ${unread} unread`}>
          {feed.items.map((notification) => (
            <NotificationItem key={notification.id} notification={notification} isNew={fresh.current.has(notification.id)} now={now} onRead={() => void feed.markRead(notification.id)} onNavigate={() => props.onClose(false)} />
          ))}
        </ul>
      )}
      {feed.hasMore && (
        <button type="button" className="ghost notification-more" onClick={() => void feed.loadMore()}>
          Show older
        </button>
      )}
      <footer className="notification-panel-foot">
        <a href={hrefOf(['preferences'])} onClick={() => props.onClose(false)}>
          Notification preferences
        </a>
      </footer>
    </section>
  );
}
