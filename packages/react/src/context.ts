import { createContext, createElement, useContext, type ReactNode } from 'react';
import type { HeadwayClient } from '@headway/client';

const HeadwayContext = createContext<HeadwayClient | null>(null);

/** Makes `client` available to the hooks below it, so components need not pass it around. */
export function HeadwayProvider(props: { client: HeadwayClient; children?: ReactNode }): ReactNode {
  return createElement(HeadwayContext.Provider, { value: props.client }, props.children);
}

/** The client given explicitly, else the one from the nearest HeadwayProvider. */
export function useHeadwayClient(explicit?: HeadwayClient): HeadwayClient {
  const fromContext = useContext(HeadwayContext);
  const client = explicit ?? fromContext;
  if (!client) throw new Error('no Headway client: pass one to the hook or render it inside <HeadwayProvider client={...}>');
  return client;
}
