import type { ReactNode } from 'react';
import { useJobMute } from '@headway/react';

/**
 * A toggle that mutes one job in a user's notification preferences. Its name stays the same and
 * `aria-pressed` carries the state, so a screen reader says "Mute …, toggle button, pressed".
 */
export function MuteJobButton(props: { userId: string; jobId: string; name: string; className?: string }): ReactNode {
  const mute = useJobMute(props.userId, props.jobId);
  const muted = mute.muted === true;
  return (
    <span className={`mute-control${props.className ? ` ${props.className}` : ''}`}>
      <button
        type="button"
        className={`ghost small mute-button${muted ? ' is-muted' : ''}`}
        aria-label={props.name}
        aria-pressed={muted}
        // Not `disabled` while saving: a focused button that turns disabled drops keyboard focus.
        aria-disabled={mute.saving}
        title={muted ? 'Muted: press to hear about this job again' : 'Stop notifications about this job'}
        disabled={mute.muted === null}
        data-testid="mute-job"
        onClick={() => void mute.setMuted(!muted)}
      >
        <MuteIcon muted={muted} />
        {muted ? 'Muted' : 'Mute'}
      </button>
      {mute.error && (
        <span role="alert" className="field-error mute-error">
          {mute.muted === null ? 'Could not read whether this job is muted' : 'Could not change the mute'}: {mute.error.message}
        </span>
      )}
    </span>
  );
}

function MuteIcon(props: { muted: boolean }): ReactNode {
  return (
    <svg className="mute-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M12 3a5 5 0 0 0-5 5v3.4l-1.6 2.8A1 1 0 0 0 6.3 16h11.4a1 1 0 0 0 .9-1.5L17 11.4V8a5 5 0 0 0-5-5Zm0 18a2.5 2.5 0 0 0 2.4-2H9.6a2.5 2.5 0 0 0 2.4 2Z" />
      {props.muted && <path d="M4 4 20 20" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />}
    </svg>
  );
}
