import { useEffect, useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Job } from '@headway/client';
import { useMediaQuery } from '../../live/use-media-query';
import { JOB_COLUMNS, JobRow } from './job-row';

const ROW_HEIGHT_WIDE = 60;
const ROW_HEIGHT_NARROW = 118;

/**
 * The jobs as an ARIA table whose rows are virtualised: only the rows in view (plus a few)
 * exist in the DOM, so 1,000 live jobs cost what twenty do.
 */
export function JobsTable(props: { jobs: Job[]; now: number; label: string; emptyText: ReactNode }): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const narrow = useMediaQuery('(max-width: 760px)');
  const rowHeight = narrow ? ROW_HEIGHT_NARROW : ROW_HEIGHT_WIDE;
  const virtualizer = useVirtualizer({
    count: props.jobs.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    getItemKey: (index) => props.jobs[index]?.id ?? index,
  });
  // Cached row sizes belong to the other layout.
  useEffect(() => virtualizer.measure(), [rowHeight]);

  return (
    <div role="table" aria-label={props.label} aria-rowcount={props.jobs.length + 1} className="table jobs-table">
      <div role="rowgroup" className="table-head">
        <div role="row" aria-rowindex={1} className="row job-row head-row">
          {JOB_COLUMNS.map((column) => (
            <div role="columnheader" key={column} className={`cell cell-${column.toLowerCase()}`}>
              {column}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" ref={scroller} className="table-body" tabIndex={0} aria-label={`${props.label}, scrollable`}>
        {props.jobs.length === 0 ? (
          <div className="empty">{props.emptyText}</div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const job = props.jobs[item.index]!;
              return (
                <JobRow
                  key={job.id}
                  job={job}
                  now={props.now}
                  index={item.index}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` }}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
