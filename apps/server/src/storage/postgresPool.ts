import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { PostgresConfig } from '../config.ts';

/** How a `PostgresStorage` reaches its server. */
export interface PostgresConnection {
  /** A postgres:// URL. */
  readonly url: string;
  /** Schema of the syspat tables; created at start-up when missing. Default `public`. */
  readonly schema?: string;
  /** Connections this instance may open at most. Default 10. */
  readonly poolSize?: number;
  /** TLS settings for the driver; false for plain TCP. */
  readonly ssl?: false | ConnectionOptions;
  /** Errors of idle connections (a server restart): the next query reports them anyway. */
  readonly onIdleError?: (err: Error) => void;
}

/** The connection settings of DATABASE_URL and its companion variables. */
export function postgresConnectionOf(config: PostgresConfig): PostgresConnection {
  let ca: string | undefined;
  if (config.sslCaFile !== null) {
    try {
      ca = fs.readFileSync(config.sslCaFile, 'utf8');
    } catch (err) {
      throw new Error(
        `DATABASE_SSL_CA: cannot read ${config.sslCaFile} (${(err as Error).message}). ` +
          'Fix: point DATABASE_SSL_CA at a readable PEM file, or unset it to use the system CAs.',
        { cause: err },
      );
    }
  }
  const ssl: false | ConnectionOptions =
    config.ssl === 'off'
      ? false
      : config.ssl === 'require'
        ? { rejectUnauthorized: false }
        : { rejectUnauthorized: true, ...(ca === undefined ? {} : { ca }) };
  return { url: config.url, schema: config.schema, poolSize: config.poolSize, ssl };
}

/**
 * A pool for one adapter instance. Every connection attempt times out after 10 s, so a server
 * that is down fails a commit (which the caller keeps in memory and retries) instead of hanging
 * it; an idle connection's error is handed to `onIdleError` because an unhandled pool 'error'
 * event would end the process.
 */
export function createPostgresPool(connection: PostgresConnection): pg.Pool {
  const pool = new pg.Pool({
    connectionString: connection.url,
    max: connection.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    ...(connection.ssl === undefined ? {} : { ssl: connection.ssl }),
    application_name: 'syspat',
  });
  pool.on('error', (err) => connection.onIdleError?.(err));
  return pool;
}

/** The server a URL points at, without its password, for messages and backup results. */
export function describeServer(url: string, schema: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username === '' ? '' : `${decodeURIComponent(parsed.username)}@`;
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname} (schema ${schema})`;
  } catch {
    return `a Postgres server (schema ${schema})`;
  }
}
