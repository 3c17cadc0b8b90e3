import type { ServiceProcess } from '@cinema/kit/service-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from '../src/config.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { describeLoad, runQueryLoad, type LoadResponse, type QueryLoadOptions } from './support/query-load.js';
import { allHealthy, routerHealth, stateOf, waitForHealth } from './support/router-health.js';

/**
 * Fault tests of the router's balancing, on the real processes: the router and two replicas of each subgraph, under
 * a steady stream of queries that cross all three subgraphs. Each test injects one fault, prints what the clients
 * saw, and leaves every replica healthy again for the next.
 */
const REPLICAS = 2;
/**
 * The router's default subgraph timeout, left as it is: a slow but healthy subgraph must not be a failure, so a hung
 * replica has to be outrun by hedged requests (after the subgraph's adaptive p95 delay, at most 1 s), not by a short
 * timeout.
 */
const DEFAULT_TIMEOUT_MS = loadRouterConfig({}).SUBGRAPH_TIMEOUT_MS;
/**
 * Target p99 while one replica is SIGSTOPped (issue 14): about 1.5 s. Measured 1.1 s with the machine at a load
 * average of 25; the assertion allows twice the target so a busy 2-core CI machine cannot fail it, and it still
 * tells hedging from waiting for the timeout (30 s) by an order of magnitude.
 */
const HUNG_REPLICA_P99_BOUND_MS = 3_000;
const ROUTER_ENV = {
  SUBGRAPH_HEALTH_INTERVAL_MS: '200',
  // The health probe's timeout is the default (1 s): at 500 ms, a live replica's probe timed out on a busy 2-core
  // machine while another replica was restarting through tsx, and both were ejected at once.
  SUBGRAPH_EJECT_BASE_MS: '250',
  SUBGRAPH_EJECT_MAX_MS: '1000',
  // Every request must reach the subgraphs: a response cache hit would hide the faults under test.
  RESPONSE_CACHE: 'false',
  // The whole load comes from one address; a per-client rate limit would refuse most of it.
  RATE_LIMIT: '0',
};

let database: TestDatabase;
let platform: TestPlatform;

beforeAll(async () => {
  // The launcher hands its environment to every process it starts, the router included.
  Object.assign(process.env, ROUTER_ENV);
  // Nothing inherited may shorten the timeout under test.
  delete process.env.SUBGRAPH_TIMEOUT_MS;
  database = await createTestDatabase('router_faults');
  platform = await startTestPlatform(database.url, { REPLICAS: String(REPLICAS), DEMO_VIDEOS: '0' });
  await waitForHealth(platform.routerUrl, allHealthy(REPLICAS));
  // Warm caches and JIT first, so the first test measures the fault rather than a cold start.
  await load({ minRequests: 500 });
});

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
});

/** movies answers `movie`, people `cast`, ratings `averageRating`: one request, three subgraphs. */
const QUERY = `query($id: ID!) { movie(id: $id) { id title averageRating cast { character person { id name } } } }`;

function fullAnswer({ status, body }: LoadResponse): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (body.errors) return body.errors.map((error) => `${error.extensions?.code}: ${error.message}`).join('; ');
  const movie = body.data?.movie;
  if (typeof movie?.title !== 'string' || !Array.isArray(movie.cast) || !('averageRating' in movie)) return `incomplete data ${JSON.stringify(body.data)}`;
  return undefined;
}

const load = (options: Partial<QueryLoadOptions> & Pick<QueryLoadOptions, 'minRequests'>) =>
  runQueryLoad({
    url: platform.routerUrl,
    query: QUERY,
    variables: (n) => ({ id: String((n % 500) + 1) }),
    concurrency: 6,
    maxDurationMs: 90_000,
    check: fullAnswer,
    ...options,
  });

const replicasOf = (subgraph: string): ServiceProcess[] => platform.services.filter((service) => service.name === subgraph);
const graphqlUrl = (service: ServiceProcess) => `${service.url}/graphql`;

async function kill(service: ServiceProcess, signal: NodeJS.Signals): Promise<void> {
  process.kill(service.pid, signal);
  await service.exited;
}

// Each test runs a load of its own and restarts replicas; generous per-test bounds, the load itself is bounded too.
describe('the router under replica failures', { timeout: 120_000 }, () => {
  it('kill -9 of one replica mid-stream: no client request fails', async () => {
    const [victim] = replicasOf('movies') as [ServiceProcess];
    const report = await load({
      minRequests: 2_000,
      scenario: async (progress) => {
        await progress.untilAnswered(300);
        await kill(victim, 'SIGKILL');
        await waitForHealth(platform.routerUrl, (health) => stateOf(health, 'movies', graphqlUrl(victim)) === 'ejected');
        // Back under load: the replacement is probed back in without a failed request either.
        await progress.untilAnswered(1_000);
        await platform.restartService(victim);
        await waitForHealth(platform.routerUrl, allHealthy(REPLICAS));
      },
    });
    console.log(describeLoad('kill -9 one movies replica', report));
    expect(report.failureSamples).toEqual([]);
    expect(report.failures).toBe(0);
  });

  it('SIGSTOP of one replica (hung, not dead), default timeout: no client request fails, hedged requests keep p99 near 1.5 s', async () => {
    const [victim] = replicasOf('people') as [ServiceProcess];
    let stopped = false;
    try {
      const report = await load({
        minRequests: 2_000,
        scenario: async (progress) => {
          await progress.untilAnswered(400);
          process.kill(victim.pid, 'SIGSTOP');
          stopped = true;
          await waitForHealth(platform.routerUrl, (health) => stateOf(health, 'people', graphqlUrl(victim)) === 'ejected');
        },
      });
      console.log(describeLoad('SIGSTOP one people replica', report));
      expect(report.failureSamples).toEqual([]);
      expect(report.failures).toBe(0);
      // The attempt on the hung replica is outrun by a hedge to the live one long before the 30 s timeout: the bound
      // only tells hedging from waiting while the default timeout is far above it.
      expect(DEFAULT_TIMEOUT_MS).toBeGreaterThanOrEqual(10 * HUNG_REPLICA_P99_BOUND_MS);
      expect(report.p99Ms).toBeLessThan(HUNG_REPLICA_P99_BOUND_MS);
    } finally {
      if (stopped) process.kill(victim.pid, 'SIGCONT');
    }
    await waitForHealth(platform.routerUrl, allHealthy(REPLICAS));
  });

  it('every replica of one subgraph down: fast partial answers naming it, full answers once one replica is back', async () => {
    const victims = replicasOf('ratings');
    await Promise.all(victims.map((victim) => kill(victim, 'SIGKILL')));
    const partial = await load({
      minRequests: 600,
      check: ({ status, body }) => {
        if (status !== 200) return `HTTP ${status}`;
        const movie = body.data?.movie;
        if (typeof movie?.title !== 'string' || !Array.isArray(movie.cast)) return `movies/people data missing: ${JSON.stringify(body.data)}`;
        if (movie.averageRating !== null) return 'averageRating answered while ratings is down';
        const error = body.errors?.find((candidate) => candidate.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
        if (!error || !error.message.includes('"ratings"') || error.extensions?.serviceName !== 'ratings')
          return `no SUBGRAPH_UNAVAILABLE error naming ratings: ${JSON.stringify(body.errors)}`;
        return undefined;
      },
    });
    console.log(describeLoad('all ratings replicas down (partial answers)', partial));
    expect(partial.failureSamples).toEqual([]);
    expect(partial.failures).toBe(0);
    // Fast: nothing waited for a timeout. `check` above demands SUBGRAPH_UNAVAILABLE (the fail-fast code of a
    // subgraph with no replica to try) in every answer; one that had waited would carry SUBGRAPH_TIMEOUT. This is a
    // code, not a stopwatch reading, so a loaded machine cannot fail it; the latency is in the log line above.
    expect(partial.requests).toBeGreaterThan(0);
    expect((await routerHealth(platform.routerUrl)).status).toBe('degraded');

    const back = await platform.restartService(victims[0]!);
    const restartedAt = performance.now();
    await waitForHealth(platform.routerUrl, (health) => stateOf(health, 'ratings', graphqlUrl(back)) === 'healthy');
    console.log(`[all ratings replicas down] full answers again ${(performance.now() - restartedAt).toFixed(0)} ms after one replica was listening`);
    const recovered = await load({ minRequests: 600 });
    console.log(describeLoad('one ratings replica back', recovered));
    expect(recovered.failureSamples).toEqual([]);
    expect(recovered.failures).toBe(0);

    await platform.restartService(victims[1]!);
    await waitForHealth(platform.routerUrl, allHealthy(REPLICAS));
  });

  it('rolling restart of every replica, one at a time: no client request fails', async () => {
    const restarted: string[] = [];
    const report = await load({
      minRequests: 2_000,
      scenario: async (progress) => {
        await progress.untilAnswered(200);
        for (const subgraph of ['movies', 'people', 'ratings']) {
          for (const replica of replicasOf(subgraph)) {
            const started = performance.now();
            const fresh = await platform.restartService(replica);
            const listening = performance.now();
            await waitForHealth(platform.routerUrl, allHealthy(REPLICAS));
            restarted.push(
              `${subgraph} ${replica.pid}->${fresh.pid} ${((listening - started) / 1000).toFixed(1)}s+${((performance.now() - listening) / 1000).toFixed(1)}s`,
            );
          }
        }
      },
    });
    console.log(describeLoad(`rolling restart of ${restarted.length} replicas`, report));
    console.log(`[rolling restart] stop and start, then back in the router: ${restarted.join(', ')}`);
    expect(restarted).toHaveLength(3 * REPLICAS);
    expect(report.failureSamples).toEqual([]);
    expect(report.failures).toBe(0);
  });
});
