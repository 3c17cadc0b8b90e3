import { Counter, type Registry } from 'prom-client';

/** How a GraphQL request met the response cache. */
export type CacheResult = 'hit' | 'miss' | 'bypass' | 'coalesced';

/**
 * The response cache's Prometheus counters on the router's `/metrics`: requests by result (`hit`, `miss`, `bypass`
 * for mutations, uncacheable operations, `Cache-Control: no-cache` or Redis unavailable, and `coalesced` for misses
 * answered by a concurrent identical request's execution), entity tags invalidated by mutations, and store reads or
 * writes that failed. {@link stats} gives hits and misses in the shape of the platform's generic cache metrics.
 */
export class ResponseCacheMetrics {
  #hits = 0;
  #misses = 0;
  readonly #requests: Counter<'result'>;
  /** Each result's series of `#requests`, made once (prom-client's `labels()` validates and allocates per call). */
  readonly #requestSeries = new Map<CacheResult, { inc(value?: number): void }>();
  readonly #invalidations: Counter;
  readonly #storeErrors: Counter;
  readonly #fastPathHits: Counter;
  /**
   * Fast-path hits not yet added to the two counters: added in bulk when the registry is read (prom-client's
   * `collect`), so a hit costs an increment of a number rather than two counter updates.
   */
  #uncollectedFastPathHits = 0;

  constructor(registry: Registry) {
    const registers = [registry];
    const collect = () => this.#collectFastPathHits();
    this.#requests = new Counter({
      name: 'router_response_cache_requests_total',
      help: 'GraphQL requests by response cache result: hit, miss, bypass, coalesced (a miss served by a concurrent identical request).',
      labelNames: ['result'] as const,
      registers,
      collect,
    });
    this.#invalidations = new Counter({
      name: 'router_response_cache_invalidations_total',
      help: 'Entity tags (e.g. Movie:42) invalidated by mutations.',
      registers,
    });
    this.#storeErrors = new Counter({
      name: 'router_response_cache_store_errors_total',
      help: 'Response cache reads or writes that failed; the request went on without the cache.',
      registers,
    });
    this.#fastPathHits = new Counter({
      name: 'router_response_cache_fast_path_hits_total',
      help: 'Hits (also counted in router_response_cache_requests_total) answered before the generic GraphQL server, from an entry this process holds.',
      registers,
      collect,
    });
  }

  request(result: CacheResult): void {
    this.#seriesOf(result).inc();
    if (result === 'hit' || result === 'coalesced') this.#hits += 1;
    else if (result === 'miss') this.#misses += 1;
  }

  /** A hit answered by the HTTP-level fast path (see `cache-hit-fast-path.ts`), counted when the metrics are read. */
  fastPathHit(): void {
    this.#uncollectedFastPathHits += 1;
    this.#hits += 1;
  }

  #seriesOf(result: CacheResult): { inc(value?: number): void } {
    let series = this.#requestSeries.get(result);
    if (!series) this.#requestSeries.set(result, (series = this.#requests.labels(result)));
    return series;
  }

  /** Adds the fast-path hits since the last read to both counters (whichever of the two is read first). */
  #collectFastPathHits(): void {
    const hits = this.#uncollectedFastPathHits;
    if (hits === 0) return;
    this.#uncollectedFastPathHits = 0;
    this.#seriesOf('hit').inc(hits);
    this.#fastPathHits.inc(hits);
  }

  invalidated(tags: number): void {
    this.#invalidations.inc(tags);
  }

  storeError(): void {
    this.#storeErrors.inc();
  }

  /** Hits (coalesced misses included: they cost no execution) and misses since start. */
  stats(): { hits: number; misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }
}
