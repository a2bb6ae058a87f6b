import type { ReactNode } from 'react';
import type { NotificationPreferences } from '@headway/client';
import { Field } from './field';
import type { FieldErrors, PreferencesForm } from './form-model';

type Edit = (change: Partial<PreferencesForm>) => void;

/** Where notifications go: email address, phone for SMS, webhook URL (its secret stays server-side). */
export function ContactFields(props: { form: PreferencesForm; errors: FieldErrors; stored: NotificationPreferences; edit: Edit }): ReactNode {
  const { form, errors, edit } = props;
  const webhook = props.stored.contacts.webhook;
  return (
    <fieldset className="card prefs-section">
      <legend>Contact points</legend>
      <div className="prefs-grid">
        <Field id="pref-email" label="Email address" error={errors.email}>
          {(control) => <input {...control} type="email" autoComplete="email" value={form.email} onChange={(e) => edit({ email: e.target.value })} />}
        </Field>
        <Field id="pref-phone" label="Phone for SMS" hint="International format, e.g. +15551234567." error={errors.phone}>
          {(control) => <input {...control} type="tel" autoComplete="tel" value={form.phone} onChange={(e) => edit({ phone: e.target.value })} />}
        </Field>
        <Field
          id="pref-webhook"
          label="Webhook URL"
          hint={webhook?.disabledAt ? 'Disabled: the receiver answered 410 Gone. Save the URL again to re-enable it.' : webhook ? 'Signed with a secret kept on the server (Standard Webhooks).' : undefined}
          error={errors.webhookUrl}
        >
          {(control) => <input {...control} type="url" inputMode="url" placeholder="https://" value={form.webhookUrl} onChange={(e) => edit({ webhookUrl: e.target.value })} />}
        </Field>
      </div>
    </fieldset>
  );
}
