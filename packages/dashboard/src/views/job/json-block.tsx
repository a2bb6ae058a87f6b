import type { ReactNode } from 'react';

const MAX_CHARS = 20_000;

/** Opaque JSON (checkpoint, result, metadata), pretty-printed and cut if huge. */
export function JsonBlock(props: { value: unknown; label: string }): ReactNode {
  if (props.value === null || props.value === undefined) return <p className="muted">None.</p>;
  const text = JSON.stringify(props.value, null, 2) ?? String(props.value);
  return (
    <pre className="json" aria-label={props.label} tabIndex={0}>
      {text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}\n… (${(text.length - MAX_CHARS).toLocaleString()} more characters)` : text}
    </pre>
  );
}
