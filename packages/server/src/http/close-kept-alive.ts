import type { FastifyInstance } from 'fastify';

/**
 * Lets `app.close()` finish while responses are still in flight. Node's server.close() ends
 * only the connections idle at that moment; one whose response finishes just afterwards goes
 * idle and is kept open for the whole keep-alive timeout (72 s in Fastify), holding close.
 * Node reads `keepAliveTimeout` each time a connection goes idle, so lowering it once closing
 * begins ends such connections as soon as their last response is written: no hook runs per
 * request. (Seen in CI: a poll answered 6 ms after close began held a test's close for 60 s.)
 */
export function endKeptAliveConnectionsOnClose(app: FastifyInstance): void {
  app.addHook('preClose', async () => {
    app.server.keepAliveTimeout = 1; // 0 would mean "never time out"
  });
}
