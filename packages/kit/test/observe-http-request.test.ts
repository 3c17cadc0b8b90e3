import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePrometheusText, sumOf } from '../../../test/support/prometheus-text.js';
import { closeGracefully } from '../src/graceful-close.js';
import { createGraphQLHttpServer } from '../src/graphql-http-server.js';
import { observeGraphQLOperations } from '../src/observe-graphql-operations.js';
import { ServiceMetrics } from '../src/service-metrics.js';

const typeDefs = `type Query { hello: String, boom: String }`;
const HELLO = /* invalid GraphQL */ 'query Hello { hello }';
const BOOM = /* invalid GraphQL */ 'query Boom { boom }';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
    done();
  },
});
const metrics = new ServiceMetrics({ collectDefaultMetrics: false });
const contextRequestIds: string[] = [];
let apollo: ApolloServer;
let server: ReturnType<typeof createGraphQLHttpServer>;
let base: string;

beforeAll(async () => {
  apollo = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        hello: () => 'hi',
        boom: () => {
          throw new Error('kaboom');
        },
      },
    },
    plugins: [observeGraphQLOperations()],
    allowBatchedHttpRequests: true,
  });
  await apollo.start();
  server = createGraphQLHttpServer({
    apollo,
    logger: pino({ level: 'debug', base: { service: 'test' } }, sink),
    metrics,
    routes: { '/health': (_req, res) => void res.end('ok') },
    context: async (_req, observed) => {
      contextRequestIds.push(observed.requestId);
      return {};
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeGracefully(server, 1_000);
  await apollo.stop();
});

const post = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

/** The access line of a request, once its response is over (it is written on `close`). */
async function accessLine(requestId: string) {
  // Polled for up to 10 s (not a fixed second): a loaded machine may close the response late.
  return vi.waitFor(
    () => {
      const line = lines.find((l) => l.requestId === requestId && l.msg === 'request');
      if (!line) throw new Error(`no access line for ${requestId}`);
      return line;
    },
    { timeout: 10_000, interval: 10 },
  );
}

describe('observed GraphQL requests', () => {
  it("echo the caller's request id, hand it to the context and log one access line with the operation", async () => {
    const response = await post(HELLO, { 'x-request-id': 'req-hello-1' });
    expect(response.headers.get('x-request-id')).toBe('req-hello-1');
    expect(contextRequestIds).toContain('req-hello-1');
    expect(await accessLine('req-hello-1')).toMatchObject({
      level: 30,
      service: 'test',
      method: 'POST',
      route: '/graphql',
      status: 200,
      operationName: 'Hello',
      operationType: 'query',
      durationMs: expect.any(Number),
    });
  });

  it('log and count the codes of errors in the response', async () => {
    const before = parsePrometheusText(await metrics.registry.metrics());
    await post(BOOM, { 'x-request-id': 'req-boom-1' });
    expect(await accessLine('req-boom-1')).toMatchObject({ status: 200, operationName: 'Boom', errors: ['INTERNAL_SERVER_ERROR'] });
    const after = parsePrometheusText(await metrics.registry.metrics());
    const failed = { operation_type: 'query', outcome: 'error' };
    expect(sumOf(after, 'graphql_operations_total', failed) - sumOf(before, 'graphql_operations_total', failed)).toBe(1);
    expect(
      sumOf(after, 'graphql_errors_total', { code: 'INTERNAL_SERVER_ERROR' }) - sumOf(before, 'graphql_errors_total', { code: 'INTERNAL_SERVER_ERROR' }),
    ).toBe(1);
  });

  it('list every operation of a batch, and count each', async () => {
    const before = parsePrometheusText(await metrics.registry.metrics());
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-batch-1' },
      body: JSON.stringify([{ query: HELLO }, { query: BOOM }]),
    });
    expect(response.status).toBe(200);
    expect(await accessLine('req-batch-1')).toMatchObject({
      operations: [
        { operationName: 'Hello', operationType: 'query' },
        { operationName: 'Boom', operationType: 'query', errors: ['INTERNAL_SERVER_ERROR'] },
      ],
    });
    const after = parsePrometheusText(await metrics.registry.metrics());
    expect(sumOf(after, 'graphql_operations_total', { operation_type: 'query' }) - sumOf(before, 'graphql_operations_total', { operation_type: 'query' })).toBe(
      2,
    );
  });

  it('count requests that never reach an operation as unknown', async () => {
    const response = await post('{ hello', { 'x-request-id': 'req-parse-1' });
    expect(response.status).toBe(400);
    expect(await accessLine('req-parse-1')).toMatchObject({ status: 400, operationType: 'unknown', errors: ['GRAPHQL_PARSE_FAILED'] });
  });
});

describe('observed routes', () => {
  it('log probes at debug, and unknown paths under `other` with the path', async () => {
    const health = await fetch(`${base}/health`, { headers: { 'x-request-id': 'req-health-1' } });
    expect(await accessLine('req-health-1')).toMatchObject({ level: 20, route: '/health', status: 200 });
    expect(health.headers.get('x-request-id')).toBe('req-health-1');
    await fetch(`${base}/wp-admin/setup.php?x=1`, { headers: { 'x-request-id': 'req-other-1' } });
    expect(await accessLine('req-other-1')).toMatchObject({ level: 30, route: 'other', path: '/wp-admin/setup.php', status: 404 });
  });

  it('serve /metrics with every request so far, labelled by route', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = parsePrometheusText(await response.text());
    expect(sumOf(samples, 'http_server_request_duration_seconds_count', { route: '/graphql', status_class: '2xx' })).toBeGreaterThanOrEqual(2);
    expect(sumOf(samples, 'http_server_request_duration_seconds_count', { route: 'other', status_class: '4xx' })).toBe(1);
    expect(samples.some((s) => String(s.labels.route).includes('wp-admin'))).toBe(false);
  });
});
