import { createServer, connect, type Server, type Socket } from 'node:net';
import { listenOnLoopback } from '../../../server/test/support/loopback.js';

export interface ProxyRules {
  /** Answer WebSocket upgrade requests with 403, like a proxy that does not pass WebSocket. */
  refuseUpgrades?: boolean;
  /** Answer requests whose path starts with one of these with 404. */
  refusePaths?: string[];
}

/**
 * A real TCP proxy on a free loopback port in front of the server, so a test can cut live
 * connections (`cut()`), lose them silently (`freeze()`), keep the client out for a while
 * (`block()`), or play a network that refuses WebSocket or event streams, while the server
 * itself keeps running. Rules may be changed while it runs: they are read on every request.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Connections `freeze()` silenced: kept open, so neither end hears of it, until `stop()`. */
  private readonly frozen = new Set<Socket>();
  private blocked = false;
  port = 0;
  /** WebSocket upgrades answered with 403 so far. */
  refusedUpgrades = 0;

  constructor(private readonly targetPort: () => number, private readonly rules: ProxyRules = {}) {
    this.server = createServer((client) => this.accept(client));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port = await listenOnLoopback(this.server);
    return this;
  }

  /** Drops every open connection abruptly (no close frame), as a network failure would. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /**
   * Every connection open now goes silent both ways, without FIN or RST, as after a Wi-Fi switch
   * or a NAT that forgot it; new connections work normally.
   */
  freeze(): void {
    for (const socket of this.sockets) {
      this.frozen.add(socket);
      socket.unpipe();
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      // Read and drop what arrives, so nothing is answered and nothing backs up.
      socket.resume();
    }
    this.sockets.clear();
  }

  block(): void {
    this.blocked = true;
    this.cut();
  }

  unblock(): void {
    this.blocked = false;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    this.cut();
    for (const socket of this.frozen) socket.destroy();
    this.frozen.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.blocked) return void client.destroy();
    this.sockets.add(client);
    const upstream = connect(this.targetPort(), '127.0.0.1');
    this.sockets.add(upstream);
    client.on('close', () => {
      this.sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', () => client.destroy());
    upstream.on('error', () => client.destroy());
    // Rules are checked on every request line, since HTTP clients reuse kept-alive connections.
    client.on('data', (chunk: Buffer) => {
      const refusal = this.refusal(chunk.toString('latin1', 0, Math.min(chunk.length, 4096)));
      if (refusal) {
        upstream.removeAllListeners('close');
        this.sockets.delete(upstream);
        upstream.destroy();
        client.end(refusal);
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  }

  private refusal(head: string): string | null {
    const request = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r\n/.exec(head);
    if (!request) return null;
    const path = request[1] ?? '';
    if (this.rules.refuseUpgrades && /\r\nupgrade:\s*websocket/i.test(head)) {
      this.refusedUpgrades++;
      return 'HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';
    }
    if (this.rules.refusePaths?.some((prefix) => path.startsWith(prefix))) return 'HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';
    return null;
  }
}
