import type { ReactNode } from 'react';

/**
 * A labelled input with its hint and error right under it, tied together for screen readers
 * (aria-describedby, aria-invalid). `children` gets the ids to put on the control.
 */
export function Field(props: { id: string; label: string; hint?: ReactNode; error?: string; children: (control: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }): ReactNode {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children({ id: props.id, 'aria-invalid': Boolean(props.error), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {props.error && (
        <p id={errorId} className="field-error" data-testid={`${props.id}-error`}>
          {props.error}
        </p>
      )}
      {props.hint && (
        <p id={hintId} className="field-hint muted">
          {props.hint}
        </p>
      )}
    </div>
  );
}
