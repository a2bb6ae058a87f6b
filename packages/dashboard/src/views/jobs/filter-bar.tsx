import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { SORT_CHOICES, STATUS_CHOICES, type JobFilters } from './filters';

const SEARCH_DEBOUNCE_MS = 250;

/**
 * Filters, search and sort of a jobs list. Every change goes to the URL (the caller's
 * `onChange`), which is the single source of truth; typing is debounced and replaces history.
 */
export function FilterBar(props: {
  filters: JobFilters;
  onChange: (next: JobFilters, options: { replace: boolean }) => void;
  types: string[];
  statusChoices?: string[];
  showOwner: boolean;
}): ReactNode {
  const { filters, onChange } = props;
  const id = useId();
  const [text, setText] = useState(() => typedOf(filters));
  const latest = useRef(filters);
  latest.current = filters;
  const sent = useRef(typedOf(filters));

  // Back/forward and shared links change the URL under us: show what it says, but not the
  // echo of our own debounced change (that would drop what was typed meanwhile).
  useEffect(() => {
    const fromUrl = typedOf(filters);
    if (sameTyped(fromUrl, sent.current)) return;
    sent.current = fromUrl;
    setText(fromUrl);
  }, [filters.q, filters.owner, filters.tag]);

  useEffect(() => {
    if (sameTyped(text, typedOf(latest.current))) return;
    const timer = setTimeout(() => {
      sent.current = text;
      onChange({ ...latest.current, ...text, page: 1 }, { replace: true });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const set = (patch: Partial<JobFilters>) => onChange({ ...filters, ...patch, page: 1 }, { replace: false });
  const statuses = STATUS_CHOICES.filter((choice) => !props.statusChoices || props.statusChoices.includes(choice.value));
  const active = filters.status || filters.type || filters.owner || filters.tag || filters.q || filters.from || filters.to;

  return (
    <form className="filters" role="search" aria-label="Filter jobs" onSubmit={(event) => event.preventDefault()}>
      <div className="field field-search">
        <label htmlFor={`${id}-q`}>Search</label>
        <input id={`${id}-q`} type="search" placeholder="Title, message or error" value={text.q} onChange={(event) => setText({ ...text, q: event.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={filters.status} onChange={(event) => set({ status: event.target.value })}>
          {statuses.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select id={`${id}-type`} value={filters.type} onChange={(event) => set({ type: event.target.value })}>
          <option value="">Any type</option>
          {[...new Set([...props.types, ...(filters.type ? [filters.type] : [])])].sort().map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      {props.showOwner && (
        <div className="field">
          <label htmlFor={`${id}-owner`}>Owner</label>
          <input id={`${id}-owner`} value={text.owner} onChange={(event) => setText({ ...text, owner: event.target.value })} autoComplete="off" />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-tag`}>Tag</label>
        <input id={`${id}-tag`} value={text.tag} onChange={(event) => setText({ ...text, tag: event.target.value })} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>Created from</label>
        <input id={`${id}-from`} type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => set({ from: event.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>Created to</label>
        <input id={`${id}-to`} type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => set({ to: event.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select id={`${id}-sort`} value={filters.sort} onChange={(event) => set({ sort: event.target.value as JobFilters['sort'] })}>
          {SORT_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      {active && (
        <button type="button" className="ghost clear-filters" onClick={() => onChange({ ...filters, status: '', type: '', owner: '', tag: '', q: '', from: '', to: '', page: 1 }, { replace: false })}>
          Clear filters
        </button>
      )}
    </form>
  );
}

type Typed = Pick<JobFilters, 'q' | 'owner' | 'tag'>;

function typedOf(filters: Typed): Typed {
  return { q: filters.q, owner: filters.owner, tag: filters.tag };
}

function sameTyped(a: Typed, b: Typed): boolean {
  return a.q === b.q && a.owner === b.owner && a.tag === b.tag;
}
