import { useRef, type ReactNode } from 'react';
import { useConnectionState } from '@headway/react';
import { useNow } from '../live/use-now';

/**
 * Live or not: a quiet dot while the stream is open, a loud badge while it is down and the
 * client is reconnecting (with the next attempt's countdown). Announced politely.
 */
export function ConnectionBadge(): ReactNode {
  const state = useConnectionState();
  const everOpen = useRef(false);
  if (state.status === 'open') everOpen.current = true;
  const down = state.status === 'reconnecting' || (state.status === 'connecting' && everOpen.current);
  const now = useNow(1_000, down);

  let label: string;
  let detail = '';
  if (state.status === 'open') label = state.transport === 'websocket' ? 'Live' : `Live (${state.transport})`;
  else if (down) {
    label = 'Reconnecting…';
    const wait = state.retryAt ? Math.max(0, Math.ceil((state.retryAt - now) / 1000)) : 0;
    detail = state.attempt > 0 ? `attempt ${state.attempt}${wait > 0 ? `, next in ${wait} s` : ''}` : '';
  } else if (state.status === 'connecting') label = 'Connecting…';
  else label = 'Offline';

  const tone = state.status === 'open' ? 'ok' : down ? 'down' : 'idle';
  return (
    <span className={`connection connection-${tone}`} role="status" aria-live="polite" data-testid="connection-badge" data-state={tone} title={state.lastError?.message}>
      <span className="connection-dot" aria-hidden="true" />
      {label}
      {detail && <span className="connection-detail"> ({detail})</span>}
    </span>
  );
}
