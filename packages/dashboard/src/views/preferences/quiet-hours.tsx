import { useMemo, type ReactNode } from 'react';
import { Field } from './field';
import type { FieldErrors, PreferencesForm } from './form-model';

type Edit = (change: Partial<PreferencesForm>) => void;

/** Quiet hours in the user's IANA zone: notifications wait until they end; failures and alerts break through. */
export function QuietHours(props: { form: PreferencesForm; errors: FieldErrors; edit: Edit }): ReactNode {
  const { form, errors, edit } = props;
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), []);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <fieldset className="card prefs-section">
      <legend>Quiet hours and time zone</legend>
      <div className="prefs-grid">
        <Field
          id="pref-timezone"
          label="Time zone (IANA)"
          hint={
            form.timeZone !== browserZone ? (
              <>
                This browser is in {browserZone}.{' '}
                <button type="button" className="link" onClick={() => edit({ timeZone: browserZone })}>
                  Use it
                </button>
              </>
            ) : (
              'Quiet hours and daily digests follow this zone, daylight saving included.'
            )
          }
          error={errors.timeZone}
        >
          {(control) => <input {...control} list="iana-zones" autoComplete="off" spellCheck={false} value={form.timeZone} onChange={(e) => edit({ timeZone: e.target.value })} />}
        </Field>
        <datalist id="iana-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={form.quietEnabled} onChange={(e) => edit({ quietEnabled: e.target.checked })} /> Hold notifications during quiet hours
      </label>
      {form.quietEnabled && (
        <div className="prefs-grid">
          <Field id="pref-quiet-start" label="From" error={errors.quietStart}>
            {(control) => <input {...control} type="time" value={form.quietStart} onChange={(e) => edit({ quietStart: e.target.value })} />}
          </Field>
          <Field id="pref-quiet-end" label="Until" hint="Failures and alerts still come through." error={errors.quietEnd}>
            {(control) => <input {...control} type="time" value={form.quietEnd} onChange={(e) => edit({ quietEnd: e.target.value })} />}
          </Field>
        </div>
      )}
    </fieldset>
  );
}
