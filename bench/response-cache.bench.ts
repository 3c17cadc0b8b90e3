/**
 * The router's response cache, side by side in one run on the same data and processes:
 *
 * - throughput and p50/p99 of the same query through the router with the cache (every request a hit after warm-up),
 *   through a second router process with RESPONSE_CACHE=false, and from a bare Node HTTP server returning the same
 *   bytes (the ceiling: what answering costs with no GraphQL, Redis or JWT at all);
 * - SQL statements per request of the deep query (top rated → cast → each person's films → their ratings) with
 *   DataLoader batching and without it (`maxBatchSize: 1`).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/response-cache.bench.ts
 *   (BENCH_SECONDS=6 BENCH_ROUNDS=3 BENCH_CONNECTIONS=16 by default; BENCH_CACHE_ONLY=1 measures the hit and the
 *   ceiling only, skipping the uncached router and the SQL counts, and prints the rows instead of writing the report;
 *   with it, BENCH_BASELINE=<another checkout of this repository, its router built> also measures that checkout's
 *   router as a second hit target on the same Redis entries, so a change is compared with what it replaces in one run)
 *
 * Besides req/s, each run reads the target process's CPU time before and after (from /proc): CPU per request is what
 * a hit costs whatever else the machine runs, where req/s on a shared 2-core machine mostly measures the neighbours.
 *
 * Creates a database of its own (dropped at the end), uses its own Redis key prefix (deleted at the end), and writes
 * docs/benchmarks/response-cache.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createFreshDatabase, dropDatabase, repoRoot } from '@cinema/data-tools';
import { builtEntryOf, startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import { buildServices, SERVICE_ENTRIES } from '../launcher/src/build-services.js';
import { loadLauncherConfig } from '../launcher/src/config.js';
import { startPlatform, type RunningPlatform } from '../launcher/src/start-platform.js';
import { startInProcessPlatform, type StatementCounts } from '../test/support/in-process-platform.js';
import { deleteTestKeys } from '../test/support/redis-test-keys.js';
import { readProcessUsage } from './process-usage.js';
import { requestBody, runGraphQLLoad } from './router-load.js';
import { writeResponseCacheReport, type CacheRun, type CacheTarget, type StatementRow } from './response-cache-report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const adminUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const cacheOnly = process.env.BENCH_CACHE_ONLY === '1';
const QUERY = 'query($id: ID!) { movie(id: $id) { id title averageRating cast { character person { id name } } } }';
const DEEP = `query DeepTopRated($genre: String!, $limit: Int!) {
  topRatedMovies(genre: $genre, limit: $limit) { id title averageRating cast { character person { id name movies { id title averageRating } } } }
}`;
const IDS = 200;
const log = (line: string) => console.log(`[bench] ${line}`);

if (!adminUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL server; the benchmark creates and drops a database of its own there.');
  process.exit(2);
}

// Production mode, as deployed: the built JavaScript (no TypeScript transpiler in any process), NODE_ENV=production
// and real secrets.
Object.assign(process.env, {
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('base64url'),
  SUBGRAPH_SECRET: randomBytes(32).toString('base64url'),
  APOLLO_TELEMETRY_DISABLED: '1',
  // Every process starts at once; on a machine shared with other work that can take far longer than 30 s.
  SERVICE_READY_TIMEOUT_MS: process.env.SERVICE_READY_TIMEOUT_MS ?? '180000',
  // The default 100 ms deadline on Redis commands suspends the cache (every request a BYPASS) whenever a loaded
  // machine delays Redis that long: the benchmark measures what a hit costs, not fail-open under contention.
  REDIS_COMMAND_TIMEOUT_MS: process.env.REDIS_COMMAND_TIMEOUT_MS ?? '2000',
});
// BENCH_CPU_PROFILE_DIR=<dir>: after the measured rounds, one more throughput round of the hit and of the ceiling is
// run with V8's sampling profiler on in the target (bench/cpu-profile-preload.ts, started and stopped by SIGUSR2),
// so the profile covers exactly those requests and the measured rounds are not slowed by it.
const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
const PROFILE_PRELOAD = 'bench/cpu-profile-preload.ts';
log('building the services (production mode runs the built JavaScript)');
await buildServices([...SERVICE_ENTRIES, 'bench/response-cache-ceiling.ts', ...(profileDir ? [PROFILE_PRELOAD] : [])]);
if (profileDir) {
  Object.assign(process.env, {
    CPU_PROFILE_DIR: profileDir,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(builtEntryOf(path.join(repoRoot, PROFILE_PRELOAD))).href}`.trim(),
  });
}
const loadAtStart = os.loadavg()[0]!;
const databaseName = `cinema_bench_cache_${Date.now().toString(36)}`;
const databaseUrl = await createFreshDatabase(adminUrl, databaseName);
// Bench keys live under the `test:` namespace so the test helper may delete them.
const prefix = `test:bench-cache:${process.pid}:`;
let platform: RunningPlatform | undefined;
const extra: ServiceProcess[] = [];
try {
  log(`starting the platform (1 replica per subgraph; response cache on ${redisUrl ? 'Redis' : 'the in-process store'})`);
  platform = await startPlatform(
    loadLauncherConfig({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'warn',
      REPLICAS: '1',
      DEMO_VIDEOS: '0',
      RATE_LIMIT: '0',
      CACHE_KEY_PREFIX: prefix,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    }),
    log,
  );
  const subgraphUrl = (name: string) => `${platform!.services.find((service) => service.name === name)!.url}/graphql`;
  const uncached = cacheOnly
    ? undefined
    : await startServiceProcess({
        name: 'router-uncached',
        entry: path.join(repoRoot, 'router/src/index.ts'),
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'warn',
          RESPONSE_CACHE: 'false',
          RATE_LIMIT: '0',
          SUBGRAPH_MOVIES_URLS: subgraphUrl('movies'),
          SUBGRAPH_PEOPLE_URLS: subgraphUrl('people'),
          SUBGRAPH_RATINGS_URLS: subgraphUrl('ratings'),
          SUBGRAPH_VIEWING_URLS: subgraphUrl('viewing'),
        },
      });
  if (uncached) extra.push(uncached);
  const baselineRoot = cacheOnly ? process.env.BENCH_BASELINE : undefined;
  const baseline = baselineRoot
    ? await startServiceProcess({
        name: 'router-baseline',
        entry: path.join(path.resolve(baselineRoot), 'router/src/index.ts'),
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'warn',
          RATE_LIMIT: '0',
          CACHE_KEY_PREFIX: prefix,
          ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
          SUBGRAPH_MOVIES_URLS: subgraphUrl('movies'),
          SUBGRAPH_PEOPLE_URLS: subgraphUrl('people'),
          SUBGRAPH_RATINGS_URLS: subgraphUrl('ratings'),
          SUBGRAPH_VIEWING_URLS: subgraphUrl('viewing'),
        },
      })
    : undefined;
  if (baseline) extra.push(baseline);
  const sample = await fetch(platform.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody(QUERY, 1) });
  const bytes = await sample.text();
  const ceiling = await startServiceProcess({
    name: 'ceiling',
    entry: path.join(repoRoot, 'bench/response-cache-ceiling.ts'),
    env: { ...process.env, CEILING_BODY: bytes },
  });
  extra.push(ceiling);
  const router = platform.services.find((service) => service.name === 'router')!;
  log(`measuring CPU time of the router (pid ${router.pid}) and the ceiling (pid ${ceiling.pid})`);
  const targets: CacheTarget[] = cacheOnly ? ['ceiling', 'cached', ...(baseline ? (['baseline'] as const) : [])] : ['ceiling', 'cached', 'uncached'];
  const urls: Record<CacheTarget, string> = {
    ceiling: `${ceiling.url}/graphql`,
    cached: platform.routerUrl,
    uncached: uncached ? `${uncached.url}/graphql` : '',
    baseline: baseline ? `${baseline.url}/graphql` : '',
  };
  const pids: Record<CacheTarget, number> = { ceiling: ceiling.pid, cached: router.pid, uncached: uncached?.pid ?? 0, baseline: baseline?.pid ?? 0 };
  /** One load run, with the CPU time the target process spent on it. */
  const measure = async (target: CacheTarget, shapeConnections: number): Promise<CacheRun> => {
    const before = readProcessUsage(pids[target]);
    const result = await runGraphQLLoad({ url: urls[target], query: QUERY, ids: IDS, connections: shapeConnections, seconds });
    const after = readProcessUsage(pids[target]);
    const perRequest = (ms: number) => (result.requests > 0 ? (ms * 1000) / result.requests : 0);
    return {
      ...result,
      cpuUsPerRequest: perRequest(after.cpuMs - before.cpuMs),
      systemUsPerRequest: perRequest(after.systemMs - before.systemMs),
      loadAverage: os.loadavg()[0]!,
    };
  };

  log('warming up (fills the cache with every id, JIT)');
  // Every id once first: a timed warm-up alone can end before the slow misses have reached them all on a busy machine.
  for (let id = 1; id <= IDS; id += 8) {
    const ids = Array.from({ length: Math.min(8, IDS - id + 1) }, (_, i) => id + i);
    await Promise.all(
      ids.map(async (each) => {
        const response = await fetch(platform!.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody(QUERY, each) });
        await response.text();
      }),
    );
  }
  for (const target of targets) await runGraphQLLoad({ url: urls[target], query: QUERY, ids: IDS, connections, seconds: 3 });
  const check = await fetch(platform.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody(QUERY, 7) });
  if (check.headers.get('x-cache') !== 'HIT') throw new Error(`the cached router answered x-cache ${check.headers.get('x-cache')} after warm-up`);
  await check.text();

  const shapes = [
    { name: 'latency', connections: 1 },
    { name: 'throughput', connections },
  ] as const;
  const results: { shape: string; connections: number; target: CacheTarget; runs: CacheRun[] }[] = [];
  for (const shape of shapes) {
    const runs: Record<CacheTarget, CacheRun[]> = { ceiling: [], cached: [], uncached: [], baseline: [] };
    for (let round = 0; round < roundCount; round++) {
      // Alternating order, so drift (thermal, background work) spreads over every target.
      const order: CacheTarget[] = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const result = await measure(target, shape.connections);
        runs[target].push(result);
        log(
          `${shape.name} round ${round + 1} ${target}: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.cpuUsPerRequest.toFixed(0)} µs CPU/request (${result.systemUsPerRequest.toFixed(0)} system), p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors, load ${result.loadAverage.toFixed(1)}`,
        );
      }
    }
    for (const target of targets) results.push({ shape: shape.name, connections: shape.connections, target, runs: runs[target] });
  }
  if (profileDir) {
    for (const target of ['cached', 'ceiling'] as const) {
      process.kill(pids[target], 'SIGUSR2');
      const result = await runGraphQLLoad({ url: urls[target], query: QUERY, ids: IDS, connections, seconds });
      process.kill(pids[target], 'SIGUSR2');
      // The profile is written once the profiler has stopped: wait for it before the processes are stopped.
      const file = path.join(profileDir, `${pids[target]}-1.cpuprofile`);
      for (let waited = 0; !existsSync(file) && waited < 30_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      log(`profiled ${target} (pid ${pids[target]}) over ${result.requests} requests into ${profileDir}`);
    }
  }
  if (cacheOnly) {
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    for (const shape of shapes) {
      const row = (target: CacheTarget) => results.find((r) => r.shape === shape.name && r.target === target)!.runs;
      const bare = row('ceiling');
      const bareCpu = median(bare.map((r) => r.cpuUsPerRequest));
      for (const target of targets.filter((t) => t !== 'ceiling')) {
        const hit = row(target);
        const cpu = median(hit.map((r) => r.cpuUsPerRequest));
        // Also per round (each hit run against the ceiling run of the same round), less sensitive to drift.
        const perRound = median(hit.map((r, i) => r.cpuUsPerRequest / bare[i]!.cpuUsPerRequest));
        log(
          `${shape.name} ${target}: ${cpu.toFixed(0)} µs CPU/request (${median(hit.map((r) => r.systemUsPerRequest)).toFixed(0)} system), bare ${bareCpu.toFixed(0)} µs (${median(bare.map((r) => r.systemUsPerRequest)).toFixed(0)} system), ratio ${(cpu / bareCpu).toFixed(2)}× (median of rounds ${perRound.toFixed(2)}×); req/s ${median(hit.map((r) => r.requestsPerSecond)).toFixed(0)} vs ${median(bare.map((r) => r.requestsPerSecond)).toFixed(0)}`,
        );
      }
    }
  }

  if (!cacheOnly) {
    log('counting SQL statements of the deep query, with and without DataLoader batching');
    const statements: StatementRow[] = [];
    const genre = (
      (await (
        await fetch(platform.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ genres }' }) })
      ).json()) as { data: { genres: string[] } }
    ).data.genres[0]!;
    for (const [variant, loaderOptions] of [
      ['DataLoader', {}],
      ['no batching (maxBatchSize 1)', { maxBatchSize: 1 }],
    ] as const) {
      // Unbatched, the deep query sends thousands of statements: give it time rather than a SUBGRAPH_TIMEOUT.
      const inProcess = await startInProcessPlatform(databaseUrl, { routerEnv: { RESPONSE_CACHE: 'false', SUBGRAPH_TIMEOUT_MS: '120000' }, loaderOptions });
      try {
        for (const limit of [5, 20]) {
          inProcess.resetStatements();
          const response = await fetch(inProcess.routerUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: DEEP, variables: { genre, limit } }),
          });
          const body = (await response.json()) as { data: { topRatedMovies: { cast: { person: { movies: unknown[] } }[] }[] }; errors?: unknown[] };
          if (body.errors) throw new Error(`deep query failed: ${JSON.stringify(body.errors)}`);
          const people = body.data.topRatedMovies.flatMap((movie) => movie.cast);
          const films = people.reduce((sum, credit) => sum + credit.person.movies.length, 0);
          const counts: StatementCounts = inProcess.statements();
          statements.push({ variant, movies: body.data.topRatedMovies.length, credits: people.length, films, counts });
          log(`${variant}, ${limit} movies: ${JSON.stringify(counts)}`);
        }
      } finally {
        await inProcess.stop();
      }
    }

    await writeResponseCacheReport({
      file: path.join(repoRoot, 'docs/benchmarks/response-cache.md'),
      query: QUERY,
      ids: IDS,
      seconds,
      rounds: roundCount,
      store: redisUrl ? 'Redis (local, shared by the router through `@keyv/redis`)' : 'in-process LRU (no REDIS_URL)',
      tool: results[0]!.runs[0]!.tool,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      loadAtStart,
      responseBytes: Buffer.byteLength(bytes),
      results,
      statements,
    });
    log('wrote docs/benchmarks/response-cache.md');
  }
} finally {
  for (const service of extra) await service.stop();
  await platform?.stop();
  await dropDatabase(adminUrl, databaseName);
  if (redisUrl) await deleteTestKeys(redisUrl, prefix);
}
