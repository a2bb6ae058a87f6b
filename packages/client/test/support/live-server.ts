import { startTestServer, type TestServerOptions } from '../../../server/test/support/server.js';

/**
 * The real Headway server (HTTP, WebSocket, SSE on one SQLite file) the client tests talk to,
 * via the server package's helper. `stop()` keeps the file, so a test can start a new node
 * on the same file and port.
 */
export interface LiveServer {
  url: string;
  port: number;
  adminKey: string;
  dbPath: string;
  /** Stops HTTP and the node; the database file stays (for a restart on it). */
  stop(): Promise<void>;
  /** Stops, and removes the temp folder if this node created it. */
  close(): Promise<void>;
}

/** `config` overrides the server's settings, e.g. a lower `bodyLimitBytes`. */
export async function startLiveServer(options: { dbPath?: string; port?: number; adminKey?: string; config?: TestServerOptions['config'] } = {}): Promise<LiveServer> {
  const server = await startTestServer({ ...options, config: { flushIntervalMs: 10, ...options.config } });
  return {
    url: server.url,
    port: server.port,
    adminKey: server.adminKey,
    dbPath: server.dbPath,
    stop: () => server.stop(),
    close: () => server.close(),
  };
}
