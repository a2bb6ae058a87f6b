import { memo, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Job, JobStatus } from '@headway/client';
import { ProgressBar } from '../../components/progress-bar';
import { StatusBadge } from '../../components/status-badge';
import { elapsedMs, formatDuration } from '../../format/duration';
import { formatPercent } from '../../format/rate';
import { hrefOf } from '../../router/route';

const ROW_HEIGHT = 44;
const COLUMNS = ['#', 'Item', 'Status', 'Progress', 'Step', 'Attempt', 'Time', 'Error'] as const;
const STATUS_FILTERS: Array<{ value: '' | JobStatus; label: string }> = [
  { value: '', label: 'All items' },
  { value: 'failed', label: 'Failed' },
  { value: 'running', label: 'Running' },
  { value: 'queued', label: 'Pending' },
  { value: 'paused', label: 'Paused' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' },
];

/** A batch's items with their own status, virtualised: 10,000 rows keep about 30 in the DOM. */
export function ChildrenTable(props: { items: Job[]; now: number; loading: boolean }): ReactNode {
  const [status, setStatus] = useState<'' | JobStatus>('');
  const numbered = useMemo(() => props.items.map((job, index) => ({ job, number: index + 1 })), [props.items]);
  const shown = useMemo(() => (status ? numbered.filter((row) => row.job.status === status) : numbered), [numbered, status]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  return (
    <div className="children">
      <div className="children-head">
        <label htmlFor="children-status">Show</label>
        <select id="children-status" value={status} onChange={(event) => setStatus(event.target.value as '' | JobStatus)}>
          {STATUS_FILTERS.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <span className="muted" aria-live="polite" data-testid="children-count">
          {shown.length.toLocaleString()} of {props.items.length.toLocaleString()} items{props.loading ? ' (loading…)' : ''}
        </span>
      </div>
      <div role="table" aria-label="Batch items" aria-rowcount={shown.length + 1} className="table children-table">
        <div role="rowgroup" className="table-head">
          <div role="row" aria-rowindex={1} className="row child-row head-row">
            {COLUMNS.map((column) => (
              <div role="columnheader" key={column} className="cell">
                {column}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" ref={scroller} className="table-body children-body" tabIndex={0} aria-label="Batch items, scrollable">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = shown[item.index]!;
              return (
                <ChildRow
                  key={row.job.id}
                  job={row.job}
                  number={row.number}
                  index={item.index}
                  now={props.now}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                />
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

const ChildRow = memo(function ChildRow(props: { job: Job; number: number; index: number; now: number; style: CSSProperties }): ReactNode {
  const { job } = props;
  const title = job.title ?? job.id;
  return (
    <div role="row" aria-rowindex={props.index + 2} className={`row child-row row-${job.status}`} style={props.style} data-child-status={job.status}>
      <div role="cell" className="cell muted">
        {props.number}
      </div>
      <div role="cell" className="cell cell-job">
        <a href={hrefOf(['jobs', job.id])}>{title}</a>
      </div>
      <div role="cell" className="cell">
        <StatusBadge job={job} />
      </div>
      <div role="cell" className="cell cell-progress">
        <ProgressBar percent={job.percent} status={job.status} label={`Progress of ${title}`} />
        <span className="progress-text">{formatPercent(job.percent)}</span>
      </div>
      <div role="cell" className="cell">
        {job.currentStep ?? '—'}
      </div>
      <div role="cell" className="cell">
        {job.attempt}/{job.maxAttempts}
      </div>
      <div role="cell" className="cell">
        {formatDuration(elapsedMs(job, props.now))}
      </div>
      <div role="cell" className="cell cell-error" title={job.error?.message}>
        {job.error?.message ?? ''}
      </div>
    </div>
  );
});
