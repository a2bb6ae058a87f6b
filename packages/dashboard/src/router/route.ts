import { useSyncExternalStore } from 'react';

/**
 * Hash routes (`#/jobs/ID?status=running`): deep links and reloads work whatever path the
 * server mounts the dashboard at, with no server-side fallback route.
 */
export interface Route {
  /** Path segments after `#/`, e.g. ['jobs', '0193…']. */
  segments: string[];
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = body.split('?', 2);
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

export function hrefOf(segments: string[], params?: URLSearchParams | Record<string, string>): string {
  const search = params instanceof URLSearchParams ? params : new URLSearchParams(params);
  const query = search.toString();
  return `#/${segments.map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`;
}

/** Goes to a route; `replace` keeps typing in a filter from filling the back button's history. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(history.state, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = href.slice(1);
  }
}

let cachedHash: string | null = null;
let cachedRoute: Route = { segments: [], params: new URLSearchParams() };

function currentRoute(): Route {
  if (window.location.hash !== cachedHash) {
    cachedHash = window.location.hash;
    cachedRoute = parseHash(cachedHash);
  }
  return cachedRoute;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, currentRoute, currentRoute);
}
