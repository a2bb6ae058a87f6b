import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useUnreadCount } from '@headway/react';
import { NotificationPanel, PANEL_ID } from './notification-panel';

/**
 * The bell in the header: the live unread count (hidden at 0) and the panel it opens. Escape or
 * the close button put focus back on the bell; a click elsewhere just closes the panel.
 */
export function NotificationBell(props: { userId: string }): ReactNode {
  const unread = useUnreadCount(props.userId);
  const [open, setOpen] = useState(false);
  const bell = useRef<HTMLButtonElement>(null);
  const wrap = useRef<HTMLDivElement>(null);

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) bell.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && close(true);
    const onPointer = (event: PointerEvent) => !wrap.current?.contains(event.target as Node) && close(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const count = unread ?? 0;
  const label = count === 0 ? 'Notifications, none unread' : `Notifications, ${count} unread`;
  return (
    <div className="bell-wrap" ref={wrap}>
      <button
        ref={bell}
        type="button"
        className="bell ghost"
        aria-label={label}
        aria-expanded={open}
        aria-controls={PANEL_ID}
        aria-haspopup="dialog"
        data-testid="notification-bell"
        onClick={() => (open ? close(true) : setOpen(true))}
      >
        <BellIcon />
        {count > 0 && (
          <span className="bell-count" aria-hidden="true" data-testid="unread-count">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      {/* Count changes are announced without moving focus. */}
      <span className="visually-hidden" role="status" aria-live="polite">
        {count > 0 ? `${count} unread notification${count === 1 ? '' : 's'}` : ''}
      </span>
      {open && <NotificationPanel userId={props.userId} onClose={close} />}
    </div>
  );
}

function BellIcon(): ReactNode {
  return (
    <svg className="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 2a6 6 0 0 0-6 6v3.6l-1.7 3A1 1 0 0 0 5.2 16h13.6a1 1 0 0 0 .9-1.4l-1.7-3V8a6 6 0 0 0-6-6Zm0 20a3 3 0 0 0 2.8-2H9.2a3 3 0 0 0 2.8 2Z"
      />
    </svg>
  );
}
