import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServerOptions } from '../../../server/test/support/server.js';
import { createClient, type ClientOptions, type HeadwayClient } from '../../src/index.js';

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

/** What a suite needs of its server. */
export interface SuiteServer {
  url: string;
  adminKey: string;
  close(): Promise<void>;
}

/** One server for a describe block; read its getters inside tests and hooks, once it has started. */
export interface LiveSuite<S extends SuiteServer> {
  readonly server: S;
  /** A client with the admin key, straight to the server. */
  readonly admin: HeadwayClient;
  /** Another client, by default to the server with the admin key; closed with the suite. */
  client(options?: Partial<ClientOptions>): HeadwayClient;
}

/**
 * Starts a server and its admin client in beforeAll, and closes every client of the suite and the
 * server in afterAll. Call it first in a describe body: vitest runs after-hooks last-registered
 * first, so the suite's own afterAll (proxies, watchers) still has the server. `start` picks
 * another server, e.g. startNotifyingServer.
 */
export function liveServerPerSuite(): LiveSuite<LiveServer>;
export function liveServerPerSuite<S extends SuiteServer>(start: () => Promise<S>): LiveSuite<S>;
export function liveServerPerSuite(start: () => Promise<SuiteServer> = startLiveServer): LiveSuite<SuiteServer> {
  let server: SuiteServer | undefined;
  let admin: HeadwayClient | undefined;
  const clients: HeadwayClient[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`liveServerPerSuite: the ${what} is there from beforeAll on; read it inside a test or hook`);
    return value;
  };
  const suite: LiveSuite<SuiteServer> = {
    get server() {
      return started(server, 'server');
    },
    get admin() {
      return started(admin, 'admin client');
    },
    client(options = {}) {
      const { url, adminKey } = started(server, 'server');
      const made = createClient({ url, token: adminKey, ...options });
      clients.push(made);
      return made;
    },
  };
  beforeAll(async () => {
    server = await start();
    admin = suite.client();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
  });
  return suite;
}
