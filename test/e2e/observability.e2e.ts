import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';
import { REQUEST_ID_HEADER } from '@cinema/kit/identity';
import { startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonLogCapture } from '../support/json-log-capture.js';
import { startOtlpCollector, type CollectedSpan, type OtlpCollector } from '../support/otlp-collector.js';
import { hasSample, scrapeMetrics, sumOf } from '../support/prometheus-text.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const TOP_RATED_WITH_CAST = `query ObservedTopRated($genre: String!) {
  topRatedMovies(genre: $genre, limit: 3) { id title averageRating cast { person { name } } }
}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SERVER_SPAN = 2;

let collector: OtlpCollector;
let database: TestDatabase;
let platform: TestPlatform;
let chunkServer: ServiceProcess;
let mediaRoot: string;
const logs = new JsonLogCapture();

/** Every service process of the platform plus the chunk server, by name. */
const service = (name: string): ServiceProcess => {
  const found = name === 'chunk-server' ? chunkServer : platform.services.find((s) => s.name === name);
  if (!found) throw new Error(`no ${name} process`);
  return found;
};

/** A query that crosses the three subgraphs, past the router's response cache so that it reaches them every time. */
async function queryRouter(headers: Record<string, string> = {}) {
  const response = await fetch(platform.routerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache', ...headers },
    body: JSON.stringify({ query: TOP_RATED_WITH_CAST, variables: { genre: platform.genre } }),
  });
  const body = (await response.json()) as { data?: { topRatedMovies: unknown[] }; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  expect(body.data?.topRatedMovies.length).toBeGreaterThan(0);
  return response;
}

const fetchStream = (headers: Record<string, string> = {}) => fetch(`${chunkServer.url}/s/not-a-token/demo-1/master.m3u8`, { headers });

beforeAll(async () => {
  // Children inherit process.env (the launcher's env parameter is its own configuration): set before they start.
  collector = await startOtlpCollector();
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.endpoint;
  process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
  database = await createTestDatabase('e2e_observability');
  platform = await startTestPlatform(
    database.url,
    { LOG_LEVEL: 'info', REPLICAS: '1', DEMO_VIDEOS: '0' },
    { stdio: 'pipe', onServiceStarted: (started) => [started.child.stdout, started.child.stderr].forEach((stream) => logs.read(stream)) },
  );
  mediaRoot = await mkdtemp(path.join(tmpdir(), 'cinema-observability-media-'));
  chunkServer = await startServiceProcess({
    name: 'chunk-server',
    entry: path.join(repoRoot, 'chunk-server', 'src', 'index.ts'),
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', MEDIA_ROOT: mediaRoot, LOG_LEVEL: 'info' },
    stdio: 'pipe',
  });
  logs.read(chunkServer.child.stdout);
  logs.read(chunkServer.child.stderr);
});

afterAll(async () => {
  await chunkServer?.stop();
  await platform?.stop();
  await database?.drop();
  await collector?.close();
  if (mediaRoot) await rm(mediaRoot, { recursive: true, force: true });
});

describe('metrics', () => {
  it('the router serves its request, GraphQL and balancer metrics on one /metrics, Node process metrics once', async () => {
    const router = service('router').url;
    const before = await scrapeMetrics(router);
    for (let i = 0; i < 3; i++) await queryRouter();
    const after = await scrapeMetrics(router);
    const graphqlRequests = { route: '/graphql', method: 'POST', status_class: '2xx' };
    expect(
      sumOf(after, 'http_server_request_duration_seconds_count', graphqlRequests) -
        sumOf(before, 'http_server_request_duration_seconds_count', graphqlRequests),
    ).toBe(3);
    expect(hasSample(after, 'http_server_request_duration_seconds_bucket', { ...graphqlRequests, le: '0.1' })).toBe(true);
    const queries = { operation_type: 'query', outcome: 'success' };
    expect(sumOf(after, 'graphql_operations_total', queries) - sumOf(before, 'graphql_operations_total', queries)).toBe(3);
    expect(sumOf(after, 'router_subgraph_requests_total')).toBeGreaterThan(sumOf(before, 'router_subgraph_requests_total'));
    expect(after.filter((sample) => sample.name === 'process_cpu_user_seconds_total')).toHaveLength(1);
  });

  it('counts GraphQL errors by code', async () => {
    const router = service('router').url;
    const before = await scrapeMetrics(router);
    const invalid = /* invalid GraphQL */ '{ noSuchField }';
    const response = await fetch(platform.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: invalid }),
    });
    // 200 for a client of application/json (GraphQL over HTTP); 400 only for application/graphql-response+json.
    expect(response.status).toBe(200);
    const after = await scrapeMetrics(router);
    const failed = { code: 'GRAPHQL_VALIDATION_FAILED' };
    expect(sumOf(after, 'graphql_errors_total', failed) - sumOf(before, 'graphql_errors_total', failed)).toBe(1);
    expect(sumOf(after, 'graphql_operations_total', { operation_type: 'unknown', outcome: 'error' })).toBeGreaterThan(0);
  });

  it.each(['movies', 'people', 'ratings'])('the %s subgraph serves request, GraphQL and connection pool metrics', async (name) => {
    const url = service(name).url;
    const before = await scrapeMetrics(url);
    await queryRouter();
    const after = await scrapeMetrics(url);
    const graphqlRequests = { route: '/graphql', method: 'POST', status_class: '2xx' };
    expect(sumOf(after, 'http_server_request_duration_seconds_count', graphqlRequests)).toBeGreaterThan(
      sumOf(before, 'http_server_request_duration_seconds_count', graphqlRequests),
    );
    expect(sumOf(after, 'graphql_operations_total', { operation_type: 'query' })).toBeGreaterThan(
      sumOf(before, 'graphql_operations_total', { operation_type: 'query' }),
    );
    expect(sumOf(after, 'db_pool_max_connections', { pool: name })).toBe(10);
    expect(hasSample(after, 'db_pool_connections', { pool: name, state: 'busy' })).toBe(true);
    expect(sumOf(after, 'db_pool_connections', { pool: name })).toBeGreaterThan(0);
    expect(hasSample(after, 'db_pool_waiting_queries', { pool: name })).toBe(true);
    expect(hasSample(after, 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('the chunk server serves request metrics by route and its open-file cache figures', async () => {
    const before = await scrapeMetrics(chunkServer.url);
    expect((await fetchStream()).status).toBe(403);
    expect((await fetch(`${chunkServer.url}/health`)).status).toBe(200);
    const after = await scrapeMetrics(chunkServer.url);
    const refused = { route: 'stream', method: 'GET', status_class: '4xx' };
    expect(sumOf(after, 'http_server_request_duration_seconds_count', refused) - sumOf(before, 'http_server_request_duration_seconds_count', refused)).toBe(1);
    expect(sumOf(after, 'http_server_request_duration_seconds_count', { route: '/health' })).toBeGreaterThan(0);
    expect(hasSample(after, 'cache_requests_total', { cache: 'open_files', result: 'hit' })).toBe(true);
    expect(hasSample(after, 'cache_entries', { cache: 'open_files' })).toBe(true);
  });
});

describe('request ids', () => {
  it('a client id comes back from the router and is in the log lines of the router and the subgraphs it called', async () => {
    const requestId = `obs-${randomBytes(6).toString('hex')}`;
    const response = await queryRouter({ [REQUEST_ID_HEADER]: requestId });
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe(requestId);
    // The router writes its line once its response is over, after the subgraphs wrote theirs.
    const routerLine = (await logs.waitFor((line) => line.requestId === requestId && line.service === 'router' && line.msg === 'request'))[0]!;
    const subgraphLines = logs.lines.filter((line) => line.requestId === requestId && line.msg === 'request' && line.service !== 'router');
    expect(new Set(subgraphLines.map((line) => line.service))).toEqual(new Set(['movies', 'people', 'ratings']));
    expect(routerLine).toMatchObject({ method: 'POST', route: '/graphql', status: 200, operationName: 'ObservedTopRated', operationType: 'query' });
    expect(routerLine.durationMs).toEqual(expect.any(Number));
    for (const line of subgraphLines)
      expect(line).toMatchObject({ route: '/graphql', status: 200, operationType: 'query', operationName: expect.stringMatching(/^ObservedTopRated__/) });
  });

  it('the router replaces an unusable id with its own and still forwards it', async () => {
    const response = await queryRouter({ [REQUEST_ID_HEADER]: 'not a sane id; DROP TABLE' });
    const requestId = response.headers.get(REQUEST_ID_HEADER) ?? '';
    expect(requestId).toMatch(UUID);
    const lines = await logs.waitFor((line) => line.requestId === requestId && line.service !== 'router');
    expect(lines.length).toBeGreaterThan(0);
  });

  it("the chunk server logs the player's request id, or one of its own, and never the signed path", async () => {
    const requestId = `player-${randomBytes(6).toString('hex')}`;
    const response = await fetchStream({ [REQUEST_ID_HEADER]: requestId });
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe(requestId);
    const [line] = await logs.waitFor((l) => l.requestId === requestId);
    expect(line).toMatchObject({ service: 'chunk-server', msg: 'request', method: 'GET', route: 'stream', status: 403 });
    expect(JSON.stringify(line)).not.toContain('not-a-token');
    expect((await fetchStream()).headers.get(REQUEST_ID_HEADER)).toMatch(UUID);
  });
});

describe('tracing', () => {
  const serverSpans = (spans: readonly CollectedSpan[], traceId: string) => spans.filter((s) => s.traceId === traceId && s.kind === SERVER_SPAN);
  /** The request id a server span recorded from its response header. */
  const requestIdOf = (span: CollectedSpan) => (span.attributes['http.response.header.x-request-id'] as string[] | undefined)?.[0];

  it('one query through the router is one trace across the router and every subgraph it called, database queries included', async () => {
    const requestId = `trace-${randomBytes(6).toString('hex')}`;
    await queryRouter({ [REQUEST_ID_HEADER]: requestId });
    const isRouterSpan = (s: CollectedSpan) => s.service === 'router' && s.kind === SERVER_SPAN && requestIdOf(s) === requestId;
    await collector.waitFor((spans) => spans.some(isRouterSpan));
    const routerSpan = collector.spans.find(isRouterSpan)!;
    const { traceId } = routerSpan;
    expect(routerSpan.parentSpanId).toBeUndefined();
    await collector.waitFor((spans) => new Set(serverSpans(spans, traceId).map((s) => s.service)).size >= 4);
    expect(new Set(serverSpans(collector.spans, traceId).map((s) => s.service))).toEqual(new Set(['router', 'movies', 'people', 'ratings']));

    const trace = collector.spans.filter((s) => s.traceId === traceId);
    // Each subgraph's server span is the child of one of the router's outgoing (undici) spans: traceparent went along.
    const routerClientSpans = new Set(trace.filter((s) => s.service === 'router' && s.scope.includes('undici')).map((s) => s.spanId));
    for (const span of serverSpans(trace, traceId).filter((s) => s.service !== 'router')) {
      expect(routerClientSpans.has(span.parentSpanId ?? '')).toBe(true);
      expect(requestIdOf(span)).toBe(requestId);
    }
    expect(trace.filter((s) => s.service === 'router' && s.scope.includes('gateway')).map((s) => s.name)).toEqual(
      expect.arrayContaining(['gateway.request', 'gateway.execute', 'gateway.fetch']),
    );
    await collector.waitFor((spans) => spans.some((s) => s.traceId === traceId && s.scope.includes('pg') && s.service !== 'router'));
  });

  it("the chunk server continues a player's trace and records no stream token", async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    await fetchStream({ traceparent: `00-${traceId}-${parentSpanId}-01` });
    await collector.waitFor((spans) => spans.some((s) => s.traceId === traceId));
    const span = collector.spans.find((s) => s.traceId === traceId)!;
    expect(span).toMatchObject({ service: 'chunk-server', kind: SERVER_SPAN, parentSpanId });
    expect(span.attributes['url.path']).toBe('/s/[redacted]/demo-1/master.m3u8');
    expect(JSON.stringify(span)).not.toContain('not-a-token');
  });

  it('probes and scrapes are not traced', async () => {
    await fetch(`${service('movies').url}/health`);
    await scrapeMetrics(service('movies').url);
    await queryRouter();
    await collector.waitFor((spans) => spans.filter((s) => s.service === 'movies').length > 0);
    expect(collector.spans.filter((s) => s.kind === SERVER_SPAN && ['/health', '/metrics'].includes(String(s.attributes['url.path'])))).toEqual([]);
  });
});
