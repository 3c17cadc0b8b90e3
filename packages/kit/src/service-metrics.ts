import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What a connection pool reports about its use; a `pg.Pool` fits as it is. */
export interface PoolUsage {
  /** Connections open, busy or idle. */
  readonly totalCount: number;
  readonly idleCount: number;
  /** Queries waiting for a connection because every one is busy. */
  readonly waitingCount: number;
  readonly options: { readonly max?: number | undefined };
}

/** Counters a cache keeps since start; read when metrics are scraped, so the cache itself only increments numbers. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions?: number;
  /** Entries held now. */
  readonly entries?: number;
}

export interface ServiceMetricsOptions {
  /** Registry to add the metrics to, when the service already has one; a new registry by default. */
  registry?: Registry;
  /** Node's process metrics (CPU, memory, event loop lag, GC); turn off when the given registry already has them. */
  collectDefaultMetrics?: boolean;
}

/** Seconds; from a cached lookup to a slow federated query or a whole media segment on a slow link. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const KNOWN_METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS']);
const ERROR_CODE_LABEL = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * The Prometheus metrics every service exposes at `GET /metrics`: HTTP requests (rate, latency, status) by route,
 * GraphQL operations and errors by code, connection pool use, cache hits and misses, and Node's process metrics.
 *
 * Why one class: every service reports the same names with the same labels, so one dashboard reads them all. Labels
 * are bounded sets (route names, status classes, error codes), never raw paths or operation names, so a client
 * cannot grow the series without limit. Pools and caches are read at scrape time, costing their hot paths nothing.
 *
 * @example
 * const metrics = new ServiceMetrics();
 * const db = createDatabase({ ..., onPoolCreated: (pool) => metrics.observePool('movies', pool) });
 * await createSubgraphServer({ ..., metrics }); // serves /metrics and observes every request
 */
export class ServiceMetrics {
  readonly registry: Registry;
  readonly #requestDuration: Histogram<'route' | 'method' | 'status_class'>;
  /**
   * The request histogram's labelled series, each made once: prom-client's `labels()` validates the labels and
   * builds two closures on every call, for every request. Bounded: routes and methods come from fixed sets, and
   * a series still records after a reset of the registry.
   */
  readonly #requestDurationSeries = new Map<string, { observe(value: number): void }>();
  readonly #operations: Counter<'operation_type' | 'outcome'>;
  readonly #graphqlErrors: Counter<'code'>;
  readonly #pools = new Map<string, PoolUsage>();
  readonly #caches = new Map<string, () => CacheStats>();

  constructor(options: ServiceMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    this.#requestDuration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP requests served, by route, method and status class (2xx..5xx), until the response was sent or the client left; _count is the request counter.',
      labelNames: ['route', 'method', 'status_class'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#operations = new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations, by type (query, mutation, subscription; unknown when the document did not parse or validate) and outcome (success, error: any error in the response).',
      labelNames: ['operation_type', 'outcome'] as const,
      registers,
    });
    this.#graphqlErrors = new Counter({
      name: 'graphql_errors_total',
      help: 'Errors in GraphQL responses, by extensions.code (INTERNAL_SERVER_ERROR when there is none).',
      labelNames: ['code'] as const,
      registers,
    });
    const pools = this.#pools;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database connections of a pool, by state: busy (running a query or in a transaction) or idle.',
      labelNames: ['pool', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const [name, pool] of pools) {
          this.labels(name, 'busy').set(pool.totalCount - pool.idleCount);
          this.labels(name, 'idle').set(pool.idleCount);
        }
      },
    });
    new Gauge({
      name: 'db_pool_waiting_queries',
      help: 'Queries waiting for a database connection because every connection of the pool is busy.',
      labelNames: ['pool'] as const,
      registers,
      collect() {
        this.reset();
        for (const [name, pool] of pools) this.labels(name).set(pool.waitingCount);
      },
    });
    new Gauge({
      name: 'db_pool_max_connections',
      help: 'Most connections a pool opens.',
      labelNames: ['pool'] as const,
      registers,
      collect() {
        this.reset();
        for (const [name, pool] of pools) if (pool.options.max !== undefined) this.labels(name).set(pool.options.max);
      },
    });
    const caches = this.#caches;
    new Counter({
      name: 'cache_requests_total',
      help: 'Cache lookups, by cache and result (hit, miss).',
      labelNames: ['cache', 'result'] as const,
      registers,
      collect() {
        this.reset();
        for (const [name, read] of caches) {
          const stats = read();
          this.labels(name, 'hit').inc(stats.hits);
          this.labels(name, 'miss').inc(stats.misses);
        }
      },
    });
    new Counter({
      name: 'cache_evictions_total',
      help: 'Entries a cache dropped to make room.',
      labelNames: ['cache'] as const,
      registers,
      collect() {
        this.reset();
        for (const [name, read] of caches) {
          const { evictions } = read();
          if (evictions !== undefined) this.labels(name).inc(evictions);
        }
      },
    });
    new Gauge({
      name: 'cache_entries',
      help: 'Entries a cache holds now.',
      labelNames: ['cache'] as const,
      registers,
      collect() {
        this.reset();
        for (const [name, read] of caches) {
          const { entries } = read();
          if (entries !== undefined) this.labels(name).set(entries);
        }
      },
    });
    if (options.collectDefaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Records one served request; `route` must come from a fixed set (the service's routes, or `other`). */
  observeHttpRequest(route: string, method: string | undefined, status: number, seconds: number): void {
    const methodLabel = method && KNOWN_METHODS.has(method) ? method : 'OTHER';
    const statusClass = `${Math.floor(status / 100)}xx`;
    const key = `${route}\u0000${methodLabel}\u0000${statusClass}`;
    let series = this.#requestDurationSeries.get(key);
    if (!series) this.#requestDurationSeries.set(key, (series = this.#requestDuration.labels(route, methodLabel, statusClass)));
    series.observe(seconds);
  }

  /** Records one GraphQL operation and the codes of the errors in its response. */
  countOperation(operationType: string, errorCodes: readonly string[]): void {
    this.#operations.labels(operationType, errorCodes.length > 0 ? 'error' : 'success').inc();
    for (const code of errorCodes) this.#graphqlErrors.labels(ERROR_CODE_LABEL.test(code) ? code : 'OTHER').inc();
  }

  /** Reports a connection pool's use under `name` at every scrape. */
  observePool(name: string, pool: PoolUsage): void {
    this.#pools.set(name, pool);
  }

  /** Reports a cache's hits, misses, evictions and size under `name` at every scrape. */
  observeCache(name: string, stats: () => CacheStats): void {
    this.#caches.set(name, stats);
  }

  /** `GET /metrics`: every metric in Prometheus' text format. */
  readonly route = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  };
}
