import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../support/graphql-client.js';
import { startTestRedisServer, type TestRedisServer } from '../support/redis-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const QUERY = `query Movie($id: ID!) { movie(id: $id) { id title averageRating cast { person { name } } } }`;

let database: TestDatabase;
let redis: TestRedisServer;
let platform: TestPlatform;
let ids: string[];

beforeAll(async () => {
  // A Redis of this test's own: it is killed below, and the shared one must never be.
  redis = await startTestRedisServer();
  database = await createTestDatabase('e2e_redis_outage');
  platform = await startTestPlatform(database.url, { REPLICAS: '1', DEMO_VIDEOS: '0', REDIS_URL: redis.url });
  ids = ((await graphql(platform.routerUrl, '{ movies(first: 10) { edges { node { id } } } }')).body.data.movies.edges as { node: { id: string } }[]).map(
    (edge) => edge.node.id,
  );
});

afterAll(async () => {
  await platform?.stop();
  await redis?.stop();
  await database?.drop();
});

interface Tally {
  requests: number;
  failed: number;
  results: Map<string, number>;
}

/** Queries the router from `workers` loops until `until` resolves; counts every response by `x-cache`. */
async function load(until: Promise<unknown>, workers = 4): Promise<Tally> {
  const tally: Tally = { requests: 0, failed: 0, results: new Map() };
  let running = true;
  void until.then(() => (running = false));
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let index = worker; running; index += workers) {
        const response = await graphql(platform.routerUrl, QUERY, { id: ids[index % ids.length] }).catch(() => null);
        tally.requests += 1;
        if (!response || response.status !== 200 || response.body.errors) tally.failed += 1;
        const result = response?.headers.get('x-cache') ?? 'failed';
        tally.results.set(result, (tally.results.get(result) ?? 0) + 1);
      }
    }),
  );
  return tally;
}

async function waitForHit(): Promise<number> {
  const started = Date.now();
  for (;;) {
    const response = await graphql(platform.routerUrl, QUERY, { id: ids[0] });
    if (response.headers.get('x-cache') === 'HIT') return Date.now() - started;
    if (Date.now() - started > 15_000) throw new Error('the cache did not come back within 15 s');
    await sleep(100);
  }
}

describe('the response and entity caches when Redis dies mid-run', () => {
  it('serves every request without Redis, and caches again once it is back', async () => {
    await waitForHit();
    const phases: Record<string, Tally> = {};
    phases.before = await load(sleep(1_500));
    await redis.kill();
    phases.down = await load(sleep(3_000));
    await redis.restart();
    const recovery = waitForHit();
    phases.recovering = await load(recovery);
    phases.after = await load(sleep(1_500));
    console.log(
      Object.fromEntries(Object.entries(phases).map(([phase, t]) => [phase, { requests: t.requests, failed: t.failed, ...Object.fromEntries(t.results) }])),
    );

    for (const tally of Object.values(phases)) expect(tally.failed).toBe(0);
    expect(phases.before.results.get('HIT') ?? 0).toBeGreaterThan(0);
    // Down: answered by the subgraphs, never from a cache that is not there.
    expect(phases.down.requests).toBeGreaterThan(20);
    expect(phases.down.results.get('HIT') ?? 0).toBe(0);
    expect(await recovery).toBeLessThan(15_000);
    expect(phases.after.results.get('HIT') ?? 0).toBeGreaterThan(phases.after.requests / 2);
  });
});
