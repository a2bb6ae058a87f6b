import { useState, type FormEvent, type ReactNode } from 'react';
import type { NotificationPreferences } from '@headway/client';
import { useLoad } from '../../live/use-load';
import { hrefOf, navigate, useRoute } from '../../router/route';
import { useSession } from '../../session/session';
import { PreferencesFormView } from './preferences-form';
import { SignInLink } from './sign-in-link';

/**
 * Notification preferences of the signed-in user. A key (admin or API key) is nobody's inbox:
 * it picks the user to edit (`#/preferences?user=ana`), which the server allows keys to do.
 */
export function PreferencesPage(): ReactNode {
  const { identity } = useSession();
  const route = useRoute();
  const userId = identity.kind === 'user' ? identity.userId : route.params.get('user');
  return (
    <section className="page prefs-page">
      <div className="page-head">
        <h1>Notification preferences</h1>
        {userId && <p className="muted">{identity.kind === 'user' ? 'Where and when Headway tells you about your jobs.' : `Editing the preferences of user “${userId}”.`}</p>}
      </div>
      {identity.kind === 'key' && <UserPicker current={userId} />}
      {identity.kind === 'key' && userId && <SignInLink key={`link-${userId}`} userId={userId} />}
      {userId && <UserPreferences key={userId} userId={userId} />}
    </section>
  );
}

function UserPreferences(props: { userId: string }): ReactNode {
  const { client } = useSession();
  const [saved, setSaved] = useState<NotificationPreferences | null>(null);
  const load = useLoad(props.userId, (signal) => client.notifications.preferences(props.userId, signal));
  if (load.error) return <p role="alert" className="form-error">Could not load the preferences: {load.error.message}</p>;
  const stored = saved ?? load.data;
  if (!stored) return <p className="muted">Loading…</p>;
  return <PreferencesFormView userId={props.userId} stored={stored} onSaved={setSaved} />;
}

/** For keys: which user to edit, and how a person signs in as themselves. */
function UserPicker(props: { current: string | null }): ReactNode {
  const [draft, setDraft] = useState(props.current ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) navigate(hrefOf(['preferences'], { user: draft.trim() }));
  };
  return (
    <div className="card prefs-picker">
      <p>
        You are signed in with a key, which has no notifications of its own. Pick a user to edit their preferences or to make them a sign-in link: people see their own jobs, bell
        and preferences when they sign in as themselves.
      </p>
      <form className="prefs-inline" onSubmit={submit}>
        <div className="field">
          <label htmlFor="pref-user">User id</label>
          <input id="pref-user" value={draft} spellCheck={false} autoComplete="off" onChange={(e) => setDraft(e.target.value)} />
        </div>
        <button type="submit" disabled={!draft.trim()}>
          Pick user
        </button>
      </form>
    </div>
  );
}
