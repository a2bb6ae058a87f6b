import { startTestServer, type TestServer } from '../../../server/test/support/server.js';

/**
 * A real Headway server whose notifier delivers quickly (in-app pushes within a few tens of
 * milliseconds), for the notification feed tests of the client and the hooks.
 */
export function startNotifyingServer(): Promise<TestServer> {
  return startTestServer({
    config: {
      flushIntervalMs: 10,
      notify: { dispatchIntervalMs: 20, enqueueIntervalMs: 5, backoffBaseMs: 40, backoffMaxMs: 400, leaseMs: 5_000 } as never,
    },
  });
}
