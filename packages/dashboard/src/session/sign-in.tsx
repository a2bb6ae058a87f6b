import { useState, type FormEvent, type ReactNode } from 'react';
import { createClient, HeadwayError } from '@headway/client';

/** Asks for a token and checks it against the server before keeping it. */
export function SignIn(props: { baseUrl: string; onSignedIn: (token: string) => void }): ReactNode {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) return setError('Paste the token that `headway serve` printed, or a user token.');
    setChecking(true);
    setError(null);
    const probe = createClient({ url: props.baseUrl, token: candidate });
    try {
      await probe.listJobs({ limit: 1 });
      props.onSignedIn(candidate);
    } catch (failure) {
      setError(
        failure instanceof HeadwayError && (failure.code === 'UNAUTHORIZED' || failure.code === 'FORBIDDEN')
          ? 'The server did not accept this token. Check that it is complete and has not expired.'
          : `Could not reach the server: ${(failure as Error).message}`,
      );
    } finally {
      probe.close();
      setChecking(false);
    }
  }

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)} aria-describedby="sign-in-help">
        <h1>
          <span className="brand-mark" aria-hidden="true" /> Headway
        </h1>
        <p id="sign-in-help" className="muted">
          Open the link printed by <code>headway serve</code>, or paste an admin key or user token.
        </p>
        <label htmlFor="token">Access token</label>
        <input id="token" type="password" autoComplete="off" spellCheck={false} value={token} onChange={(event) => setToken(event.target.value)} autoFocus />
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
