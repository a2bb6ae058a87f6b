import { useState, type FormEvent, type ReactNode } from 'react';
import { HeadwayError, type NotificationPreferences } from '@headway/client';
import { useSession } from '../../session/session';
import { ChannelTable } from './channel-table';
import { ContactFields } from './contact-fields';
import { changeOf, fieldOfServerMessage, formOf, validate, type FieldErrors, type FormField, type PreferencesForm } from './form-model';
import { MutedJobs } from './muted-jobs';
import { QuietHours } from './quiet-hours';

/** Where focus goes for a field's error: its control's id. */
const CONTROL_OF: Partial<Record<FormField, string>> = {
  timeZone: 'pref-timezone',
  email: 'pref-email',
  phone: 'pref-phone',
  webhookUrl: 'pref-webhook',
  quietStart: 'pref-quiet-start',
  quietEnd: 'pref-quiet-end',
  mutedJobs: 'pref-mute',
};

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: number } | { kind: 'failed'; message: string };

/** Edits one user's preferences; checks them here first, then shows the server's verdict next to the field. */
export function PreferencesFormView(props: { userId: string; stored: NotificationPreferences; onSaved: (saved: NotificationPreferences) => void }): ReactNode {
  const { client } = useSession();
  const [form, setForm] = useState<PreferencesForm>(() => formOf(props.stored));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });

  const edit = (change: Partial<PreferencesForm>) => {
    setForm((current) => ({ ...current, ...change }));
    // An edited field's old error no longer applies.
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([field]) => !(field in change) && !(field === 'quietStart' && 'quietEnabled' in change))));
    if (save.kind === 'saved') setSave({ kind: 'idle' });
  };

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const found = validate(form);
    if (Object.keys(found).length > 0) return reject(found);
    setSave({ kind: 'saving' });
    try {
      const saved = await client.notifications.savePreferences(props.userId, changeOf(form, props.stored));
      setForm(formOf(saved));
      setErrors({});
      setSave({ kind: 'saved', at: Date.now() });
      props.onSaved(saved);
    } catch (failure) {
      const message = (failure as Error).message;
      const field = failure instanceof HeadwayError && failure.code === 'VALIDATION_FAILED' ? fieldOfServerMessage(message) : null;
      if (field) return reject({ [field]: `The server refused this: ${message}` });
      setSave({ kind: 'failed', message });
    }
  }

  function reject(found: FieldErrors): void {
    setErrors(found);
    setSave({ kind: 'failed', message: `Not saved: ${Object.keys(found).length === 1 ? 'one field needs' : `${Object.keys(found).length} fields need`} attention.` });
    const first = Object.keys(found).map((field) => CONTROL_OF[field as FormField]).find(Boolean);
    if (first) requestAnimationFrame(() => document.getElementById(first)?.focus());
  }

  return (
    <form className="prefs-form" noValidate onSubmit={(event) => void submit(event)} aria-label={`Notification preferences of ${props.userId}`}>
      <ContactFields form={form} errors={errors} stored={props.stored} edit={edit} />
      <ChannelTable form={form} errors={errors} edit={edit} />
      <QuietHours form={form} errors={errors} edit={edit} />
      <MutedJobs form={form} errors={errors} edit={edit} />
      <div className="prefs-actions">
        <button type="submit" className="primary" disabled={save.kind === 'saving'}>
          {save.kind === 'saving' ? 'Saving…' : 'Save preferences'}
        </button>
        <button type="button" className="ghost" onClick={() => (setForm(formOf(props.stored)), setErrors({}), setSave({ kind: 'idle' }))}>
          Discard changes
        </button>
        <span role="status" aria-live="polite" className={save.kind === 'failed' ? 'form-error' : 'muted'} data-testid="save-status">
          {save.kind === 'saved' ? 'Saved.' : save.kind === 'failed' ? save.message : ''}
        </span>
      </div>
    </form>
  );
}
