import { useEffect, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
}

/** Runs `load` when `key` changes (and every `refreshMs` if given); keeps the last data while reloading. */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>, refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: true });
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      setState((old) => ({ ...old, loading: true }));
      load(abort.signal)
        .then((data) => setState({ data, error: null, loading: false }))
        .catch((error: Error) => abort.signal.aborted || setState((old) => ({ data: old.data, error, loading: false })))
        .finally(() => {
          if (refreshMs !== undefined && !abort.signal.aborted) timer = setTimeout(run, refreshMs);
        });
    };
    run();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [key]);
  return state;
}
