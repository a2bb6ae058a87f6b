import { memo, type CSSProperties, type ReactNode } from 'react';
import type { Job } from '@headway/client';
import { ProgressBar } from '../../components/progress-bar';
import { StatusBadge } from '../../components/status-badge';
import { elapsedMs, formatDuration } from '../../format/duration';
import { describeEta, formatEtaRange } from '../../format/eta';
import { errorCount, formatJobAmount, formatPercent, formatRate } from '../../format/rate';
import { hrefOf } from '../../router/route';

export const JOB_COLUMNS = ['Job', 'Owner', 'Status', 'Progress', 'Step', 'Rate', 'ETA', 'Elapsed', 'Errors'] as const;

/**
 * One job of the live list. Memoised on the job object: the live channel replaces only the
 * jobs that changed, so a frame with ten updates re-renders ten rows, not a thousand.
 */
export const JobRow = memo(function JobRow(props: { job: Job; now: number; index: number; style: CSSProperties }): ReactNode {
  const { job, now } = props;
  const active = job.status === 'running' || job.status === 'paused' || job.status === 'queued';
  const title = job.title ?? job.type;
  const errors = errorCount(job);
  return (
    <div role="row" aria-rowindex={props.index + 2} className={`row job-row row-${job.status}`} style={props.style} data-job-id={job.id}>
      <div role="cell" className="cell cell-job">
        <a href={hrefOf(['jobs', job.id])} className="job-title">
          {title}
        </a>
        <span className="job-type">{job.type}</span>
      </div>
      <div role="cell" className="cell cell-owner">
        {job.owner ?? <span className="muted">—</span>}
      </div>
      <div role="cell" className="cell cell-status">
        <StatusBadge job={job} />
      </div>
      <div role="cell" className="cell cell-progress">
        <ProgressBar percent={job.percent} status={job.status} label={`Progress of ${title}`} />
        <span className="progress-text" data-testid="percent">
          {formatPercent(job.percent)}
          <span className="muted"> · {formatJobAmount(job)}</span>
        </span>
      </div>
      <div role="cell" className="cell cell-step" title={job.message ?? undefined}>
        {job.currentStep ?? <span className="muted">—</span>}
      </div>
      <div role="cell" className="cell cell-rate">
        {job.status === 'running' ? formatRate(job.metrics.ratePerSec, job.unit) : <span className="muted">—</span>}
      </div>
      <div role="cell" className="cell cell-eta" aria-label={active && job.eta ? `ETA ${describeEta(job.eta, now)}` : undefined}>
        {job.status === 'running' ? formatEtaRange(job.eta, now) : <span className="muted">—</span>}
      </div>
      <div role="cell" className="cell cell-elapsed">
        {formatDuration(elapsedMs(job, now))}
      </div>
      <div role="cell" className={`cell cell-errors${errors > 0 ? ' has-errors' : ''}`}>
        {errors > 0 ? errors : <span className="muted">0</span>}
      </div>
    </div>
  );
});
