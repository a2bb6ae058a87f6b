import { useMemo, type ReactNode } from 'react';
import { formatPreciseDuration } from '../../format/duration';
import { formatRate } from '../../format/rate';
import { useLoad } from '../../live/use-load';
import { hrefOf, navigate, useRoute } from '../../router/route';
import { useSession } from '../../session/session';
import { RANGES, rangeOf } from './ranges';
import { StepBreakdown } from './step-breakdown';
import { ThroughputChart } from './throughput-chart';

/** Per job type: volume, success rate, p50/p95 durations, throughput, and where the time goes. */
export function AnalyticsPage(): ReactNode {
  const { params } = useRoute();
  const { api } = useSession();
  const range = rangeOf(params.get('range'));
  // Rounded to the minute so the URL, not the clock, decides when data is refetched.
  const to = Math.ceil(Date.now() / 60_000) * 60_000;
  const from = to - range.ms;
  const types = useLoad(`${range.value}:${to}`, () => api.typeAnalytics({ from, to }));
  const selected = params.get('type') ?? types.data?.types[0]?.type ?? null;
  const go = (patch: Record<string, string>) => navigate(hrefOf(['analytics'], { range: range.value, ...(selected ? { type: selected } : {}), ...patch }), { replace: true });
  const rows = useMemo(() => types.data?.types ?? [], [types.data]);

  return (
    <section className="page" aria-labelledby="analytics-heading">
      <div className="page-head">
        <h1 id="analytics-heading">Analytics</h1>
        <div className="field inline">
          <label htmlFor="range">Range</label>
          <select id="range" value={range.value} onChange={(event) => go({ range: event.target.value })}>
            {RANGES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {types.error && (
        <p className="form-error" role="alert">
          Analytics could not be loaded: {types.error.message}
        </p>
      )}
      <div className="card table-scroll">
        <table className="simple-table analytics-table">
          <caption>Job types, {range.label.toLowerCase()} (finished jobs; active counts are now)</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Finished</th>
              <th scope="col">Success rate</th>
              <th scope="col">p50 duration</th>
              <th scope="col">p95 duration</th>
              <th scope="col">Throughput</th>
              <th scope="col">Running / queued</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  {types.loading ? 'Loading…' : 'No jobs finished in this range.'}
                </td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={row.type} aria-selected={row.type === selected} className={row.type === selected ? 'selected' : undefined}>
                <th scope="row">
                  <button type="button" className="link" aria-pressed={row.type === selected} onClick={() => go({ type: row.type })}>
                    {row.type}
                  </button>
                </th>
                <td>
                  {row.finished.toLocaleString()}
                  {row.failed > 0 && <span className="muted"> ({row.failed} failed)</span>}
                </td>
                <td>{row.successRate === null ? '—' : `${(row.successRate * 100).toFixed(1)}%`}</td>
                <td>{formatPreciseDuration(row.p50DurationMs)}</td>
                <td>{formatPreciseDuration(row.p95DurationMs)}</td>
                <td>{formatRate(row.unitsPerSec, row.unit)}</td>
                <td>
                  {row.running} / {row.queued}
                  {row.paused > 0 && <span className="muted"> ({row.paused} paused)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && (
        <div className="grid-2">
          <section className="card" aria-labelledby="throughput-heading">
            <h2 id="throughput-heading">Throughput of {selected}</h2>
            <ThroughputChart type={selected} from={from} to={to} bucket={range.bucket} />
          </section>
          <section className="card" aria-labelledby="steps-heading">
            <h2 id="steps-heading">Where the time goes in {selected}</h2>
            <StepBreakdown type={selected} from={from} to={to} />
          </section>
        </div>
      )}
    </section>
  );
}
