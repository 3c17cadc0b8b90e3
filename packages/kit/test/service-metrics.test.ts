import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { hasSample, parsePrometheusText, sumOf } from '../../../test/support/prometheus-text.js';
import { ServiceMetrics } from '../src/service-metrics.js';

const scrape = async (metrics: ServiceMetrics) => parsePrometheusText(await metrics.registry.metrics());

describe('ServiceMetrics', () => {
  it('times requests by route, method and status class, with bounded labels', async () => {
    const metrics = new ServiceMetrics({ collectDefaultMetrics: false });
    metrics.observeHttpRequest('/graphql', 'POST', 200, 0.004);
    metrics.observeHttpRequest('/graphql', 'POST', 200, 0.2);
    metrics.observeHttpRequest('/graphql', 'POST', 503, 0.01);
    metrics.observeHttpRequest('other', 'PROPFIND', 404, 0.001);
    const samples = await scrape(metrics);
    expect(sumOf(samples, 'http_server_request_duration_seconds_count', { route: '/graphql', method: 'POST', status_class: '2xx' })).toBe(2);
    expect(sumOf(samples, 'http_server_request_duration_seconds_count', { status_class: '5xx' })).toBe(1);
    expect(sumOf(samples, 'http_server_request_duration_seconds_count', { route: 'other', method: 'OTHER', status_class: '4xx' })).toBe(1);
    expect(sumOf(samples, 'http_server_request_duration_seconds_bucket', { route: '/graphql', status_class: '2xx', le: '0.005' })).toBe(1);
    expect(sumOf(samples, 'http_server_request_duration_seconds_sum', { status_class: '2xx' })).toBeCloseTo(0.204, 6);
  });

  it('counts GraphQL operations by type and outcome, and errors by code', async () => {
    const metrics = new ServiceMetrics({ collectDefaultMetrics: false });
    metrics.countOperation('query', []);
    metrics.countOperation('mutation', ['BAD_USER_INPUT']);
    metrics.countOperation('unknown', ['GRAPHQL_PARSE_FAILED', 'lower case or "quoted"']);
    const samples = await scrape(metrics);
    expect(sumOf(samples, 'graphql_operations_total', { operation_type: 'query', outcome: 'success' })).toBe(1);
    expect(sumOf(samples, 'graphql_operations_total', { operation_type: 'mutation', outcome: 'error' })).toBe(1);
    expect(sumOf(samples, 'graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(sumOf(samples, 'graphql_errors_total', { code: 'OTHER' })).toBe(1);
  });

  it('reads pools and caches when scraped', async () => {
    const metrics = new ServiceMetrics({ collectDefaultMetrics: false });
    const pool = { totalCount: 4, idleCount: 1, waitingCount: 2, options: { max: 10 } };
    const cache = { hits: 7, misses: 3, evictions: 1, entries: 5 };
    metrics.observePool('movies', pool);
    metrics.observeCache('open_files', () => cache);
    metrics.observeCache('movie_entities', () => ({ hits: 2, misses: 1 }));
    let samples = await scrape(metrics);
    expect(sumOf(samples, 'db_pool_connections', { pool: 'movies', state: 'busy' })).toBe(3);
    expect(sumOf(samples, 'db_pool_connections', { pool: 'movies', state: 'idle' })).toBe(1);
    expect(sumOf(samples, 'db_pool_waiting_queries', { pool: 'movies' })).toBe(2);
    expect(sumOf(samples, 'db_pool_max_connections', { pool: 'movies' })).toBe(10);
    expect(sumOf(samples, 'cache_requests_total', { cache: 'open_files', result: 'hit' })).toBe(7);
    expect(sumOf(samples, 'cache_requests_total', { cache: 'open_files', result: 'miss' })).toBe(3);
    expect(sumOf(samples, 'cache_evictions_total', { cache: 'open_files' })).toBe(1);
    expect(sumOf(samples, 'cache_entries', { cache: 'open_files' })).toBe(5);
    expect(sumOf(samples, 'cache_requests_total', { cache: 'movie_entities', result: 'hit' })).toBe(2);
    expect(hasSample(samples, 'cache_entries', { cache: 'movie_entities' })).toBe(false);

    pool.idleCount = 4;
    cache.hits = 8;
    samples = await scrape(metrics);
    expect(sumOf(samples, 'db_pool_connections', { pool: 'movies', state: 'busy' })).toBe(0);
    expect(sumOf(samples, 'cache_requests_total', { cache: 'open_files', result: 'hit' })).toBe(8);
  });

  it("adds to a service's own registry, next to its metrics", async () => {
    const registry = new Registry();
    const metrics = new ServiceMetrics({ registry, collectDefaultMetrics: false });
    metrics.observeHttpRequest('/graphql', 'GET', 200, 0.001);
    expect(metrics.registry).toBe(registry);
    expect(hasSample(parsePrometheusText(await registry.metrics()), 'http_server_request_duration_seconds_count')).toBe(true);
    expect(hasSample(await scrape(new ServiceMetrics()), 'process_cpu_user_seconds_total')).toBe(true);
  });
});
