import type { ReactNode } from 'react';

/** "1–200 of 1,000" with previous/next; pages are 1-based, as in the URL. */
export function Pager(props: { page: number; pageSize: number; total: number; onPage: (page: number) => void }): ReactNode {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const page = Math.min(props.page, pages);
  const first = props.total === 0 ? 0 : (page - 1) * props.pageSize + 1;
  const last = Math.min(props.total, page * props.pageSize);
  return (
    <nav className="pager" aria-label="Pages">
      <span aria-live="polite" data-testid="match-count">
        {first.toLocaleString()}–{last.toLocaleString()} of {props.total.toLocaleString()}
      </span>
      <button type="button" className="ghost" disabled={page <= 1} onClick={() => props.onPage(page - 1)}>
        Previous
      </button>
      <span className="muted">
        Page {page} of {pages}
      </span>
      <button type="button" className="ghost" disabled={page >= pages} onClick={() => props.onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
