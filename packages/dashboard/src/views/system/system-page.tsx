import type { ReactNode } from 'react';
import { useConnectionState } from '@headway/react';
import { useLoad } from '../../live/use-load';
import { useSession } from '../../session/session';
import { describeSystemValue, flattenSystem } from './system-values';

const REFRESH_MS = 2_000;

/** The figures people look at first, by their path in the answer; everything else follows. */
const HEADLINE: Array<[path: string, label: string]> = [
  ['jobs.running', 'Running jobs'],
  ['jobs.queued', 'Queued jobs'],
  ['reportsPerSec', 'Reports per second'],
  ['liveConnections', 'Live connections'],
  ['memory.rssBytes', 'Memory (RSS)'],
  ['eventLoop.delayP99Ms', 'Event-loop delay p99'],
];

/** The node's vital signs from `GET /v1/system`, refreshed every two seconds. */
export function SystemPage(): ReactNode {
  const { api } = useSession();
  const connection = useConnectionState();
  const system = useLoad('system', (signal) => api.system(signal), REFRESH_MS);
  const facts = system.data ? flattenSystem(system.data) : [];
  const known = new Map(facts);
  const headline = HEADLINE.filter(([path]) => known.has(path));
  const rest = facts.filter(([path]) => !HEADLINE.some(([headlinePath]) => headlinePath === path));
  return (
    <section className="page" aria-labelledby="system-heading">
      <div className="page-head">
        <h1 id="system-heading">System</h1>
        <p className="muted">
          This browser: {connection.status}
          {connection.transport ? ` over ${connection.transport}` : ''}
        </p>
      </div>
      {system.error && (
        <p className="form-error" role="alert">
          The system status could not be read: {system.error.message}
        </p>
      )}
      {!system.data && !system.error && <p className="muted">Loading…</p>}
      <dl className="system-grid" aria-label="Main figures">
        {headline.map(([path, label]) => (
          <div className="card stat" key={path} data-stat={path}>
            <dt>{label}</dt>
            <dd>{describeSystemValue(path, known.get(path))}</dd>
          </div>
        ))}
      </dl>
      {rest.length > 0 && (
        <section className="card" aria-labelledby="system-details">
          <h2 id="system-details">Details</h2>
          <dl className="detail-list">
            {rest.map(([path, value]) => (
              <div key={path} data-stat={path}>
                <dt>{labelOf(path)}</dt>
                <dd>{describeSystemValue(path, value)}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </section>
  );
}

/** `eventLoop.delayP99Ms` → "Event loop · delay p99". */
function labelOf(path: string): string {
  return path
    .split('.')
    .map((part) =>
      part
        .replace(/(Ms|Bytes|PerSec)$/, '')
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase(),
    )
    .map((part, index) => (index === 0 ? part.charAt(0).toUpperCase() + part.slice(1) : part))
    .join(' · ');
}
