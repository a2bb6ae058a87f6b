import { createContext, useContext, type ReactNode } from 'react';
import type { HeadwayClient } from '@headway/client';
import type { DashboardApi } from '../api/dashboard-api';
import type { Identity } from './token';

/** The signed-in session: the live client, the extra REST calls, and who is signed in. */
export interface Session {
  client: HeadwayClient;
  api: DashboardApi;
  identity: Identity;
  /** The watch target for jobs lists: every job for keys, one user's jobs for user tokens. */
  jobsTarget: 'jobs' | { user: string };
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider(props: { session: Session; children: ReactNode }): ReactNode {
  return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider>');
  return session;
}
