import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@cinema/kit/logging';
import { Pool } from 'undici';
import { parseReplicaSource } from '../router/src/balancing/replica-source.js';
import { sendToReplica } from '../router/src/balancing/send-to-replica.js';
import { SubgraphUpstream } from '../router/src/balancing/subgraph-upstream.js';

export interface FetchOverhead {
  /** Median time of the same transport without the balancer (undici dispatch over a keep-alive pool), in microseconds. */
  readonly bareMicros: number;
  /** Median time of the same request through the balancer's fetcher (one replica), in microseconds. */
  readonly balancedMicros: number;
  readonly samples: number;
}

/**
 * What the balancing logic itself costs per subgraph fetch: the same request to the same local server, once with the
 * router's transport alone (`sendToReplica` over an undici pool) and once through the router's fetcher (retry budget,
 * replica pick, counters, latency histogram, buffered response), in alternating batches, in this process. The
 * end-to-end comparison with the stock gateway also changes the HTTP client; this isolates the balancer.
 */
export async function measureFetchOverhead(samples = 20_000): Promise<FetchOverhead> {
  const answer = JSON.stringify({ data: { _entities: Array.from({ length: 20 }, (_, i) => ({ __typename: 'Movie', id: String(i), averageRating: 7.5 })) } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const body = JSON.stringify({
    query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Movie{averageRating}}}',
    variables: { representations: [] },
  });
  const headers = { 'content-type': 'application/json' };
  const bare = new Pool(new URL(url).origin, { connections: 1 });
  const upstream = new SubgraphUpstream({
    subgraph: 'bench',
    sources: [parseReplicaSource(url)],
    timeoutMs: 2_000,
    logger: createLogger('bench', 'silent'),
    healthCheck: { intervalMs: 60_000, timeoutMs: 1_000, path: '/health' },
    ejection: { consecutiveFailures: 3, baseEjectionMs: 1_000, maxEjectionMs: 30_000 },
    retryBudget: { ratio: 0.1, minPerSecond: 10 },
    dnsRefreshMs: 60_000,
    connectionsPerReplica: 1,
  });
  const timings = { bare: [] as number[], balanced: [] as number[] };
  const once = async (kind: 'bare' | 'balanced') => {
    const started = performance.now();
    if (kind === 'bare') {
      await sendToReplica(bare, { path: '/graphql', method: 'POST', headers, body }, 2_000);
    } else {
      await upstream.fetcher.fetch(url, { method: 'POST', headers, body });
    }
    timings[kind].push((performance.now() - started) * 1000);
  };
  try {
    for (let i = 0; i < 2_000; i++) await once(i % 2 === 0 ? 'bare' : 'balanced');
    timings.bare.length = 0;
    timings.balanced.length = 0;
    for (let batch = 0; batch < samples / 100; batch++) {
      const kind = batch % 2 === 0 ? 'bare' : 'balanced';
      for (let i = 0; i < 200; i++) await once(kind);
    }
  } finally {
    await bare.close();
    await upstream.close();
    server.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { bareMicros: median(timings.bare), balancedMicros: median(timings.balanced), samples: timings.bare.length + timings.balanced.length };
}
