import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@cinema/kit/logging';
import { afterEach, describe, expect, it } from 'vitest';
import { parseReplicaSource } from '../src/balancing/replica-source.js';
import { SubgraphBalancer } from '../src/balancing/subgraph-balancer.js';

let server: Server | undefined;
let balancer: SubgraphBalancer | undefined;
afterEach(async () => {
  await balancer?.close();
  server?.close();
});

async function listeningUrl(): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":true}}'));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

function createBalancer(sources: Record<string, string[]>): SubgraphBalancer {
  balancer = new SubgraphBalancer({
    sourcesFor: (subgraph) => (sources[subgraph] ?? []).map(parseReplicaSource),
    timeoutMsFor: () => 500,
    logger: createLogger('test', 'silent'),
    healthCheck: { intervalMs: 60_000, timeoutMs: 200, path: '/health' },
    ejection: { consecutiveFailures: 3, baseEjectionMs: 1_000, maxEjectionMs: 10_000 },
    retryBudget: { ratio: 0.1, minPerSecond: 10 },
    dnsRefreshMs: 60_000,
    connectionsPerReplica: 4,
  });
  return balancer;
}

const QUERY = JSON.stringify({ query: /* invalid GraphQL */ '{ok}' });

describe('SubgraphBalancer', () => {
  it('reports every replica on /health and per-replica figures on /metrics', async () => {
    const live = await listeningUrl();
    const made = createBalancer({ movies: [live], ratings: ['http://127.0.0.1:1/graphql'] });
    const movies = made.fetcherFor('movies', undefined);
    const ratings = made.fetcherFor('ratings', undefined);
    await made.ready();
    // The first health probe finds nothing listening and ejects the replica.
    await expect.poll(() => made.health().subgraphs.ratings?.[0]?.state).toBe('ejected');
    for (let i = 0; i < 3; i++) await movies(live, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
    await expect(ratings('http://ignored.invalid/', { method: 'POST', body: QUERY })).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });

    expect(made.health()).toEqual({
      status: 'degraded',
      subgraphs: {
        movies: [expect.objectContaining({ url: live, state: 'healthy', inFlight: 0, requests: 3, failures: 0 })],
        // Already ejected, so the fetch failed fast without trying it.
        ratings: [expect.objectContaining({ url: 'http://127.0.0.1:1/graphql', state: 'ejected', inFlight: 0, requests: 0, failures: 0, ejections: 1 })],
      },
    });
    const metrics = await made.metrics.render();
    expect(metrics).toContain(`router_subgraph_requests_total{subgraph="movies",replica="${live}"} 3`);
    expect(metrics).toContain('router_subgraph_ejections_total{subgraph="ratings",replica="http://127.0.0.1:1/graphql"} 1');
    expect(metrics).toContain('router_subgraph_errors_total{subgraph="ratings",replica="http://127.0.0.1:1/graphql",kind="refused"} 0');
    expect(metrics).toContain('router_subgraph_replica_healthy{subgraph="ratings",replica="http://127.0.0.1:1/graphql"} 0');
    expect(metrics).toContain(`router_subgraph_request_duration_seconds_count{subgraph="movies",replica="${live}"} 3`);
    expect(metrics).toMatch(/router_subgraph_retries_total\{subgraph="movies",replica="[^"]+"\} 0/);
  });

  it('gives one subgraph one set of replicas however often the gateway builds its data source', async () => {
    const made = createBalancer({ movies: [await listeningUrl()] });
    expect(made.fetcherFor('movies', undefined)).toBe(made.fetcherFor('movies', undefined));
  });
});
