import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { HeadwayError, type MintedToken } from '@headway/client';
import { formatDateTime, formatDuration } from '../../format/duration';
import { useSession } from '../../session/session';
import { Field } from './field';

const DAY_SECONDS = 86_400;
const MAX_SECONDS = 30 * DAY_SECONDS;

/**
 * For keys: mints a user token (`POST /v1/tokens`) and shows the dashboard link that signs that
 * user in. The token is only ever on screen and on the clipboard, never logged or stored here.
 */
export function SignInLink(props: { userId: string }): ReactNode {
  const { client } = useSession();
  const [ttl, setTtl] = useState(String(DAY_SECONDS));
  const [minted, setMinted] = useState<MintedToken | null>(null);
  const [ttlError, setTtlError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ttlInput = useRef<HTMLInputElement>(null);
  // The button is disabled while the request runs, which drops focus: put it where the answer is.
  useEffect(() => {
    if (ttlError) ttlInput.current?.focus();
  }, [ttlError]);

  async function mint(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setTtlError(undefined);
    setFormError(null);
    setMinted(null);
    try {
      // The server is the judge of the lifetime: what it refuses is shown under the field.
      const ttlSeconds = ttl.trim() === '' ? undefined : Number(ttl);
      setMinted(await client.mintToken(props.userId, ttlSeconds === undefined ? {} : { ttlSeconds }));
    } catch (failure) {
      const message = (failure as Error).message;
      if (failure instanceof HeadwayError && failure.code === 'VALIDATION_FAILED' && message.includes('ttlSeconds')) setTtlError(message);
      else setFormError(message);
    } finally {
      setBusy(false);
    }
  }

  const seconds = Number(ttl);
  const hint = `How long the link works, in seconds: 1 to ${MAX_SECONDS.toLocaleString()} (30 days).${Number.isInteger(seconds) && seconds > 0 ? ` This is ${formatDuration(seconds * 1000)}.` : ''}`;
  return (
    <section className="card prefs-section sign-in-link" aria-labelledby="sign-in-link-title">
      <h2 id="sign-in-link-title">Sign-in link for “{props.userId}”</h2>
      <p className="muted">A link that opens this dashboard signed in as {props.userId}: their own jobs, bell and preferences. Anyone holding it can act as them until it expires, so send it privately.</p>
      <form className="prefs-inline" onSubmit={(event) => void mint(event)} noValidate>
        <Field id="mint-ttl" label="Valid for (seconds)" hint={hint} error={ttlError}>
          {(control) => <input {...control} ref={ttlInput} type="number" inputMode="numeric" value={ttl} onChange={(e) => setTtl(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Making the link…' : 'Make sign-in link'}
        </button>
      </form>
      {formError && (
        <p role="alert" className="form-error">
          Could not make the link: {formError}
        </p>
      )}
      {minted && <MintedLink userId={props.userId} minted={minted} />}
    </section>
  );
}

function MintedLink(props: { userId: string; minted: MintedToken }): ReactNode {
  const link = `${window.location.origin}${window.location.pathname}?token=${encodeURIComponent(props.minted.token)}`;
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('The browser did not allow copying: select the link and copy it.');
    }
  };
  return (
    <div className="minted-link" data-testid="minted-link">
      <label htmlFor="minted-link-url">Link for {props.userId}</label>
      <div className="minted-link-row">
        <input id="minted-link-url" autoFocus readOnly value={link} spellCheck={false} onFocus={(e) => e.currentTarget.select()} aria-describedby="minted-link-expiry" />
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p id="minted-link-expiry" className="muted" data-testid="minted-link-expiry">
        Expires {formatDateTime(props.minted.expiresAt)} (in {formatDuration(wholeMinutes(props.minted.expiresAt - Date.now()))}). After that, {props.userId} needs a new link. It is shown only
        here and now: it is not saved.
      </p>
      <p role="status" className="muted" aria-live="polite">
        {copied ?? ''}
      </p>
    </div>
  );
}

/**
 * The server counts whole seconds from its own clock, rounding the expiry up: "10 min" reads
 * better than "9 min 59 s" or "10 min 01 s", so the nearest minute.
 */
function wholeMinutes(ms: number): number {
  return ms < 60_000 ? ms : Math.round(ms / 60_000) * 60_000;
}
