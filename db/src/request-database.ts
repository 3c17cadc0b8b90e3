import { Kysely, PostgresDialect, type LogConfig, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';

interface DatabaseOrigin {
  pool: pg.Pool;
  log: LogConfig | undefined;
}

const origins = new WeakMap<object, DatabaseOrigin>();

/** Records how `createDatabase` built `db`, so requests can get cancellable handles on the same pool. */
export function rememberDatabase<DB>(db: Kysely<DB>, pool: pg.Pool, log: LogConfig | undefined): void {
  origins.set(db, { pool, log });
}

/** The error a query of an abandoned request fails with, before or instead of reaching PostgreSQL. */
export class QueryCancelledError extends Error {
  readonly code = 'QUERY_CANCELLED';
  constructor() {
    super('query cancelled: the request was given up');
    this.name = 'QueryCancelledError';
  }
}

/** The parts of a pg client the cancellation needs; `activeQuery` and `cancel` are pg's own, untyped in @types/pg. */
type CancellableClient = pg.PoolClient & { activeQuery?: unknown; processID?: number };
type Canceller = {
  cancel(client: pg.Client, query: unknown): void;
  connection: { on(event: 'error', listener: (error: Error) => void): void; stream: { setTimeout(ms: number, onTimeout: () => void): void; destroy(): void } };
};

/**
 * How long the CancelRequest's connection may stay open. PostgreSQL closes it as soon as it has read the request;
 * one still open after this is to a server that does not answer (its host cut off), and is dropped.
 */
const CANCEL_CONNECTION_IDLE_MS = 10_000;

/**
 * A handle on `db` for one request: the same pool and settings, but every query it runs is tied to `signal`. When the
 * signal aborts (the caller closed the connection: the router gave up on the request, a hedge lost, or the client
 * left), a query waiting for a pooled connection is not sent, one not started yet fails at once, and one running in
 * PostgreSQL is cancelled with the protocol's CancelRequest on a separate connection (what `pg_cancel_backend` does,
 * without taking a slot of a pool that may be the bottleneck). The connection that ran a cancelled query is closed
 * rather than returned to the pool, so a cancel that arrives late can never hit the next request's query.
 *
 * Kysely 0.28 has no per-query abort, so this works one level down, on the pool Kysely borrows connections from.
 * Without a signal, or for a Kysely that `createDatabase` did not make, `db` itself is returned.
 */
export function databaseForRequest<DB>(db: Kysely<DB>, signal: AbortSignal | undefined): Kysely<DB> {
  const origin = origins.get(db);
  if (!signal || !origin) return db;
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: new RequestPool(origin.pool, signal) }), ...(origin.log ? { log: origin.log } : {}) });
}

/** The pool as one request sees it: connections it lends are released, or closed after a cancel, as usual. */
class RequestPool implements PostgresPool {
  readonly #pool: pg.Pool;
  readonly #signal: AbortSignal;

  constructor(pool: pg.Pool, signal: AbortSignal) {
    this.#pool = pool;
    this.#signal = signal;
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.#signal.aborted) throw new QueryCancelledError();
    const client = (await this.#pool.connect()) as CancellableClient;
    if (this.#signal.aborted) {
      client.release();
      throw new QueryCancelledError();
    }
    return new RequestClient(client, this.#pool, this.#signal);
  }

  /** The pool belongs to the service, not to the request. */
  async end(): Promise<void> {}
}

class RequestClient {
  /** Set once a query was cancelled or refused: the connection is then closed on release, never lent again. */
  #cancelled = false;
  readonly #client: CancellableClient;
  readonly #pool: pg.Pool;
  readonly #signal: AbortSignal;

  constructor(client: CancellableClient, pool: pg.Pool, signal: AbortSignal) {
    this.#client = client;
    this.#pool = pool;
    this.#signal = signal;
  }

  query(...args: unknown[]): never {
    const run = (this.#client.query as (...params: unknown[]) => unknown).bind(this.#client);
    if (this.#signal.aborted) {
      // The connection may be inside a transaction this request began, which nothing will now end: close it on release.
      this.#cancelled = true;
      return Promise.reject(new QueryCancelledError()) as never;
    }
    const result = run(...args);
    // A cursor (streaming) is read by Kysely itself; only whole queries are tied to the signal.
    if (!(result instanceof Promise)) return result as never;
    const cancel = () => this.#cancel();
    this.#signal.addEventListener('abort', cancel, { once: true });
    return result.finally(() => this.#signal.removeEventListener('abort', cancel)) as never;
  }

  release(): void {
    // A cancelled connection may still receive the cancel after its query ended: it is closed, never lent again.
    this.#client.release(this.#cancelled ? new QueryCancelledError() : undefined);
  }

  #cancel(): void {
    if (this.#cancelled || !this.#client.activeQuery) return;
    this.#cancelled = true;
    const canceller = new pg.Client(this.#pool.options) as unknown as Canceller;
    // A cancel is best effort: when PostgreSQL cannot be reached for it (refused, silent, or its name does not
    // resolve from a host cut off from DNS), the query runs to its end and its connection is still closed on release.
    // pg gives the cancel's connection no 'error' listener, so without this one such a failure ended the process.
    canceller.connection.on('error', () => undefined);
    const { stream } = canceller.connection;
    stream.setTimeout(CANCEL_CONNECTION_IDLE_MS, () => stream.destroy());
    canceller.cancel(this.#client, this.#client.activeQuery);
  }
}
