import type { ReactNode } from 'react';
import type { DigestFrequency } from '@headway/client';
import { CHANNEL_LABELS, USER_CHANNELS, type FieldErrors, type PreferencesForm, type Switch, type TypeRow } from './form-model';

type Edit = (change: Partial<PreferencesForm>) => void;

const SWITCH_LABELS: Record<Switch, string> = { default: 'Default', on: 'On', off: 'Off' };
const FREQUENCY_LABELS: Record<DigestFrequency, string> = { immediate: 'At once', hourly: 'Hourly digest', daily: 'Daily digest' };

/**
 * Which channel each type of notification goes to, and whether it waits for a digest. "Default"
 * follows the row above it (all types), then the server's defaults: in-app for everything,
 * email for completed and failed jobs.
 */
export function ChannelTable(props: { form: PreferencesForm; errors: FieldErrors; edit: Edit }): ReactNode {
  const { form, edit } = props;
  const setType = (type: string, row: TypeRow) => edit({ types: { ...form.types, [type]: row } });
  const frequencies = new Set(Object.values(form.types).map((row) => row.frequency));
  const allFrequency = frequencies.size === 1 ? [...frequencies][0]! : 'mixed';
  return (
    <fieldset className="card prefs-section" aria-describedby="channels-help">
      <legend>Channels and digests</legend>
      <p id="channels-help" className="muted">
        “Default” follows the “All types” row, then the server’s defaults (in-app for everything, email for completed and failed jobs).
        A digest gathers a type into one message per hour or per day.
      </p>
      <div className="field prefs-digest-all">
        <label htmlFor="pref-digest-all">Digest for all types</label>
        <select
          id="pref-digest-all"
          value={allFrequency}
          onChange={(e) => {
            const frequency = e.target.value as DigestFrequency;
            edit({ types: Object.fromEntries(Object.entries(form.types).map(([type, row]) => [type, { ...row, frequency }])) });
          }}
        >
          {allFrequency === 'mixed' && <option value="mixed">Mixed (set per type below)</option>}
          {Object.entries(FREQUENCY_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {props.errors.types && <p className="field-error">{props.errors.types}</p>}
      <div className="table-scroll">
        <table className="prefs-table">
          <caption className="visually-hidden">Channels per notification type</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              {USER_CHANNELS.map((channel) => (
                <th scope="col" key={channel}>
                  {CHANNEL_LABELS[channel]}
                </th>
              ))}
              <th scope="col">Delivery</th>
            </tr>
          </thead>
          <tbody>
            <tr className="prefs-all-row">
              <th scope="row">All types</th>
              {USER_CHANNELS.map((channel) => (
                <td key={channel} data-label={CHANNEL_LABELS[channel]}>
                  <SwitchSelect id={`pref-all-${channel}`} label={`${CHANNEL_LABELS[channel]} for all types`} value={form.channels[channel]} onChange={(value) => edit({ channels: { ...form.channels, [channel]: value } })} />
                </td>
              ))}
              <td />
            </tr>
            {Object.entries(form.types).map(([type, row]) => (
              <tr key={type}>
                <th scope="row">
                  <code>{type}</code>
                </th>
                {USER_CHANNELS.map((channel) => (
                  <td key={channel} data-label={CHANNEL_LABELS[channel]}>
                    <SwitchSelect id={`pref-${type}-${channel}`} label={`${CHANNEL_LABELS[channel]} for ${type}`} value={row.channels[channel]} onChange={(value) => setType(type, { ...row, channels: { ...row.channels, [channel]: value } })} />
                  </td>
                ))}
                <td data-label="Delivery">
                  <select id={`pref-${type}-frequency`} aria-label={`Delivery of ${type}`} value={row.frequency} onChange={(e) => setType(type, { ...row, frequency: e.target.value as DigestFrequency })}>
                    {Object.entries(FREQUENCY_LABELS).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}

function SwitchSelect(props: { id: string; label: string; value: Switch; onChange: (value: Switch) => void }): ReactNode {
  return (
    <select id={props.id} aria-label={props.label} value={props.value} data-switch={props.value} onChange={(e) => props.onChange(e.target.value as Switch)}>
      {(Object.keys(SWITCH_LABELS) as Switch[]).map((value) => (
        <option key={value} value={value}>
          {SWITCH_LABELS[value]}
        </option>
      ))}
    </select>
  );
}
