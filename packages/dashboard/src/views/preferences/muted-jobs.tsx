import { useState, type ReactNode } from 'react';
import { hrefOf } from '../../router/route';
import { Field } from './field';
import type { FieldErrors, PreferencesForm } from './form-model';

type Edit = (change: Partial<PreferencesForm>) => void;

/** Jobs the user muted: nothing about them is sent, on any channel. */
export function MutedJobs(props: { form: PreferencesForm; errors: FieldErrors; edit: Edit }): ReactNode {
  const { form, edit } = props;
  const [draft, setDraft] = useState('');
  const add = () => {
    const id = draft.trim();
    if (id && !form.mutedJobs.includes(id)) edit({ mutedJobs: [...form.mutedJobs, id] });
    setDraft('');
  };
  return (
    <fieldset className="card prefs-section">
      <legend>Muted jobs</legend>
      {form.mutedJobs.length === 0 ? (
        <p className="muted">No muted jobs.</p>
      ) : (
        <ul className="muted-list">
          {form.mutedJobs.map((id) => (
            <li key={id}>
              <a href={hrefOf(['jobs', id])}>
                <code>{id}</code>
              </a>
              <button type="button" className="ghost small" aria-label={`Unmute ${id}`} onClick={() => edit({ mutedJobs: form.mutedJobs.filter((j) => j !== id) })}>
                Unmute
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="prefs-inline">
        <Field id="pref-mute" label="Mute a job (its id)" error={props.errors.mutedJobs}>
          {(control) => (
            <input
              {...control}
              value={draft}
              spellCheck={false}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                add();
              }}
            />
          )}
        </Field>
        <button type="button" onClick={add} disabled={!draft.trim()}>
          Mute
        </button>
      </div>
    </fieldset>
  );
}
