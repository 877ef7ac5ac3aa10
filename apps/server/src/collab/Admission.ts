import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { type AppError, rateLimited, tooManyConnections } from '../errors.ts';
import type { ServerMetrics } from '../metrics.ts';
import { KeyedRateLimiter } from '../rateLimit.ts';
import type { Connection } from './Connection.ts';

const KEEPALIVE_MS = 30_000;
/** How long a probed connection has to answer a ping. */
const PROBE_MS = 3000;

/**
 * Who may connect, and who is still there: open connections and their count per address, the
 * connect rate, the keepalive pings and the probes of connections suspected gone.
 */
export class Admission {
  readonly connections = new Set<Connection>();
  /** Open connections per address; `ip` is the one string every connection from it shares. */
  private readonly perIp = new Map<string, { readonly ip: string; count: number }>();
  private readonly connectRate: KeyedRateLimiter;
  private readonly keepalive: NodeJS.Timeout;
  /** Connections pinged because another socket claimed their awareness id. */
  private readonly probing = new Set<Connection>();

  constructor(
    private readonly limits: Config['limits'],
    private readonly metrics: ServerMetrics,
    private readonly log: Logger,
  ) {
    this.connectRate = new KeyedRateLimiter(limits.wsConnectsPerMinute);
    this.keepalive = setInterval(() => this.checkAlive(), KEEPALIVE_MS);
    this.keepalive.unref();
  }

  /** Checks that may refuse an upgrade before it happens (HTTP 429). */
  admitUpgrade(ip: string): AppError | undefined {
    const log = this.log;
    const limit = this.limits.maxConnectionsPerIp;
    if ((this.perIp.get(ip)?.count ?? 0) >= limit) {
      this.metrics.rejected.inc(1, { limit: 'connections_per_ip' });
      log.warn({ ip, limit }, 'websocket refused: too many connections from this address');
      return tooManyConnections(limit);
    }
    const wait = this.connectRate.hit(ip);
    if (wait > 0) {
      this.metrics.rejected.inc(1, { limit: 'connect_rate' });
      log.warn({ ip, retryAfter: wait }, 'websocket refused: connection rate limit');
      return rateLimited(wait);
    }
    return undefined;
  }

  /** The address string every connection from `ip` shares (so a connection holds no copy). */
  sharedIp(ip: string): string {
    return this.perIp.get(ip)?.ip ?? ip;
  }

  /** Counts a new connection; false when its address is over the limit (close it). */
  add(conn: Connection): boolean {
    let perIp = this.perIp.get(conn.ip);
    if (perIp === undefined) {
      perIp = { ip: conn.ip, count: 0 };
      this.perIp.set(conn.ip, perIp);
    }
    perIp.count += 1;
    this.connections.add(conn);
    return perIp.count <= this.limits.maxConnectionsPerIp;
  }

  remove(conn: Connection): void {
    this.connections.delete(conn);
    const perIp = this.perIp.get(conn.ip);
    if (perIp !== undefined && --perIp.count <= 0) this.perIp.delete(conn.ip);
  }

  /** Pings `conn` and terminates it unless it answers within PROBE_MS. */
  probe(conn: Connection): void {
    if (this.probing.has(conn) || conn.closed) return;
    this.probing.add(conn);
    conn.alive = false;
    try {
      conn.socket.ping();
    } catch {
      // a socket that cannot be pinged fails the probe below
    }
    setTimeout(() => {
      this.probing.delete(conn);
      if (!conn.alive && !conn.closed) {
        conn.log.info('websocket did not answer a probe; terminating');
        conn.socket.terminate();
      }
    }, PROBE_MS).unref();
  }

  close(): void {
    clearInterval(this.keepalive);
    this.connectRate.close();
  }

  private checkAlive(): void {
    for (const conn of this.connections) {
      if (!conn.alive) {
        conn.log.info('websocket missed a pong; terminating');
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.socket.ping();
      } catch {
        conn.socket.terminate();
      }
    }
  }
}
