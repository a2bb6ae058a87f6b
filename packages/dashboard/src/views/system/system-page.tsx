import type { ReactNode } from 'react';
import { useConnectionState } from '@headway/react';
import { useLoad } from '../../live/use-load';
import { useSession } from '../../session/session';
import { describeSystemValue, flattenSystem } from './system-values';

const REFRESH_MS = 2_000;

/** The node's vital signs from `GET /v1/system`, refreshed every two seconds. */
export function SystemPage(): ReactNode {
  const { api } = useSession();
  const connection = useConnectionState();
  const system = useLoad('system', (signal) => api.system(signal), REFRESH_MS);
  const facts = system.data ? flattenSystem(system.data) : [];
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
      <dl className="system-grid">
        {facts.map(([path, value]) => (
          <div className="card stat" key={path} data-stat={path}>
            <dt>{labelOf(path)}</dt>
            <dd>{describeSystemValue(path, value)}</dd>
          </div>
        ))}
      </dl>
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
