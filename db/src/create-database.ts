import { Kysely, PostgresDialect, type LogConfig } from 'kysely';
import pg from 'pg';
import { rememberDatabase } from './request-database.js';
import { parseTimestamptz } from './timestamptz-parser.js';

// Postgres returns bigint (int8) and numeric as strings to avoid precision loss; our counts and sums fit easily
// in a double, so parse them as numbers once here instead of in every repository.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// The same Dates as pg's own parser, cheaper (see parseTimestamptz).
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, parseTimestamptz);

export interface DatabaseOptions {
  connectionString: string;
  /** The PostgreSQL schema this service owns; it becomes the search path, so queries never name another's. */
  schema: string;
  /** Pool size per process; replicas multiply it, so keep it modest. */
  poolSize?: number;
  /** Application name shown in `pg_stat_activity`. */
  applicationName?: string;
  /** Kysely log hook, e.g. to count statements in tests. */
  log?: LogConfig;
  /** Told about errors of idle pooled connections, which are otherwise dropped silently. */
  onPoolError?: (error: Error) => void;
  /** Given the connection pool once created, e.g. to report its use as metrics (`ServiceMetrics.observePool`). */
  onPoolCreated?: (pool: pg.Pool) => void;
}

/**
 * Opens a Kysely instance bound to one schema.
 *
 * The search path is set on the connection itself (`-c search_path`), so every statement of this pool, including
 * migrations and raw `sql` fragments, stays inside the owning schema; `public` follows for extensions.
 */
export function createDatabase<DB>(options: DatabaseOptions): Kysely<DB> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? options.schema,
    options: `-c search_path=${options.schema},public`,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection dropped by the server (restart, failover, admin command) must not crash the process: the
  // pool discards it and the next query opens a new one.
  pool.on('error', (error) => options.onPoolError?.(error));
  options.onPoolCreated?.(pool);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) });
  // So `databaseForRequest` can give each request a handle whose queries are cancelled when the request is given up.
  rememberDatabase(db, pool, options.log);
  return db;
}
