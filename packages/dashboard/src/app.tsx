import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { ConnectionBadge } from './components/connection-badge';
import { NotificationBell } from './notifications/notification-bell';
import { RunningCount } from './components/running-count';
import { hrefOf, useRoute } from './router/route';
import { useSession } from './session/session';
import { JobsPage } from './views/jobs/jobs-page';

// Views with charts load uPlot on demand, so the live list (the first screen) stays small.
const JobPage = lazy(() => import('./views/job/job-page').then((m) => ({ default: m.JobPage })));
const HistoryPage = lazy(() => import('./views/history/history-page').then((m) => ({ default: m.HistoryPage })));
const AnalyticsPage = lazy(() => import('./views/analytics/analytics-page').then((m) => ({ default: m.AnalyticsPage })));
const PreferencesPage = lazy(() => import('./views/preferences/preferences-page').then((m) => ({ default: m.PreferencesPage })));
const SystemPage = lazy(() => import('./views/system/system-page').then((m) => ({ default: m.SystemPage })));

const NAV: Array<{ segment: string; label: string; keysOnly?: boolean }> = [
  { segment: '', label: 'Live jobs' },
  { segment: 'history', label: 'History' },
  { segment: 'analytics', label: 'Analytics' },
  { segment: 'system', label: 'System', keysOnly: true },
  { segment: 'preferences', label: 'Preferences' },
];

export function App(): ReactNode {
  const route = useRoute();
  const session = useSession();
  const main = useRef<HTMLElement>(null);
  const section = route.segments[0] ?? '';

  // Moving between views puts keyboard and screen-reader focus at the new content.
  useEffect(() => main.current?.focus({ preventScroll: true }), [section]);

  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header className="topbar">
        <a className="brand" href="#/">
          <span className="brand-mark" aria-hidden="true" /> Headway
        </a>
        <nav aria-label="Main">
          {NAV.filter((item) => !item.keysOnly || session.identity.kind === 'key').map((item) => (
            <a key={item.segment} href={hrefOf(item.segment ? [item.segment] : [])} aria-current={section === item.segment || (item.segment === '' && section === 'jobs') ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <div className="topbar-end">
          <RunningCount />
          <ConnectionBadge />
          {/* Keys have no inbox: the bell is for people signed in with a user token. */}
          {session.identity.kind === 'user' && <NotificationBell userId={session.identity.userId} />}
          <span className="who" title="Signed in">
            {session.identity.kind === 'user' ? session.identity.userId : 'admin'}
          </span>
          <button type="button" className="ghost" onClick={session.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<p className="muted">Loading…</p>}>{viewFor(route.segments)}</Suspense>
      </main>
    </div>
  );
}

function viewFor(segments: string[]): ReactNode {
  const [section, id] = segments;
  switch (section) {
    case undefined:
      return <JobsPage />;
    case 'jobs':
      return id ? <JobPage key={id} id={id} /> : <JobsPage />;
    case 'history':
      return <HistoryPage />;
    case 'analytics':
      return <AnalyticsPage />;
    case 'system':
      return <SystemPage />;
    case 'preferences':
      return <PreferencesPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page here. <a href="#/">Back to live jobs</a>
          </p>
        </section>
      );
  }
}
