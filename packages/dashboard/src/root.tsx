import { useMemo, useState, type ReactNode } from 'react';
import { createClient } from '@headway/client';
import { HeadwayProvider } from '@headway/react';
import { DashboardApi } from './api/dashboard-api';
import { App } from './app';
import { SessionProvider, type Session } from './session/session';
import { forgetToken, identityOf, saveToken } from './session/token';
import { SignIn } from './session/sign-in';

/** Signed out: the sign-in form. Signed in: one client for the whole tab, closed on sign-out. */
export function Root(props: { baseUrl: string; initialToken: string | null }): ReactNode {
  const [token, setToken] = useState(props.initialToken);
  const session = useMemo<Session | null>(() => {
    if (!token) return null;
    const client = createClient({ url: props.baseUrl, token, reconnect: { baseMs: 250, maxMs: 5_000 } });
    const identity = identityOf(token);
    return {
      client,
      api: new DashboardApi(props.baseUrl, token),
      identity,
      jobsTarget: identity.kind === 'user' ? { user: identity.userId } : 'jobs',
      signOut() {
        client.close();
        forgetToken(window.sessionStorage);
        setToken(null);
      },
    };
  }, [token, props.baseUrl]);

  if (!session) {
    return (
      <SignIn
        baseUrl={props.baseUrl}
        onSignedIn={(accepted) => {
          saveToken(window.sessionStorage, accepted);
          setToken(accepted);
        }}
      />
    );
  }
  return (
    <SessionProvider session={session}>
      <HeadwayProvider client={session.client}>
        <App />
      </HeadwayProvider>
    </SessionProvider>
  );
}
