import type { ReactNode } from 'react';
import type { JobStatus } from '@headway/client';
import { formatPercent } from '../format/rate';

/** A native <progress>-like bar that animates smoothly between reports (CSS transition on width). */
export function ProgressBar(props: { percent: number; status: JobStatus; label: string }): ReactNode {
  const percent = Math.min(100, Math.max(0, props.percent));
  return (
    <div
      className={`progress progress-${props.status}`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent * 10) / 10}
      aria-valuetext={formatPercent(percent)}
    >
      <div className="progress-fill" style={{ transform: `scaleX(${percent / 100})` }} />
    </div>
  );
}
