import type { ReactNode } from 'react';
import { useJobs } from '@headway/react';
import { useSession } from '../session/session';

/**
 * "12 running" in the header. It also keeps the jobs channel watched on every page, so moving
 * between views never drops the live connection (and the badge never flickers).
 */
export function RunningCount(): ReactNode {
  const { jobsTarget } = useSession();
  const running = useJobs({ ...(typeof jobsTarget === 'string' ? {} : { user: jobsTarget.user }), status: 'running', parentId: null });
  return (
    <a className="running-count" href="#/?status=running" aria-label={`${running.length} jobs running`}>
      <strong>{running.length.toLocaleString()}</strong> running
    </a>
  );
}
