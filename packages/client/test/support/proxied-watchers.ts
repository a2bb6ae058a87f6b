import { afterAll } from 'vitest';
import { createClient, type ClientOptions } from '../../src/index.js';
import type { LiveServer, LiveSuite } from './live-server.js';
import { TcpProxy } from './tcp-proxy.js';

/**
 * Clients that reach the suite's server through a TcpProxy of their own (to refuse upgrades, cut
 * connections, ...), with fast reconnects and `defaults`. Everything pushed on `cleanups` (the
 * proxies and clients, and what a test adds) is undone after the file, newest first.
 */
export function proxiedWatchers(live: LiveSuite<LiveServer>, defaults: Partial<ClientOptions>) {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  async function watcherBehind(rules: ConstructorParameters<typeof TcpProxy>[1], options: Partial<ClientOptions> = {}) {
    const proxy = await new TcpProxy(() => live.server.port, rules).start();
    const watcher = createClient({ url: proxy.url, token: live.server.adminKey, reconnect: { baseMs: 50, maxMs: 400 }, ...defaults, ...options });
    cleanups.push(() => proxy.stop(), () => watcher.close());
    return { proxy, watcher };
  }
  return { watcherBehind, cleanups };
}
