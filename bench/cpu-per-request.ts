/**
 * CPU time per request of the router and of each subgraph on the deep queries, in production mode: far less
 * sensitive to a shared, loaded machine than requests per second, so it can guide optimisation where the full
 * gateway benchmark (bench/gateways.bench.ts) cannot be run. Optionally Hive Gateway with its Rust planner over the
 * same subgraphs, since CPU per request compares across gateways even under load.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/cpu-per-request.ts
 *   CPU_QUERIES=Q2,Q4  CPU_REQUESTS=60 (per query and gateway)  CPU_CONCURRENCY=2 (or a list: 1,8,32)  CPU_GATEWAYS=router,hiveRust
 *   CPU_NODE_OPTIONS='--max-semi-space-size=32'  (Node flags of the measured processes)
 *   CPU_PROFILE_DIR=/tmp/prof  (the gateway and every subgraph write a V8 CPU profile of the measured requests there,
 *   one per query: bench/cpu-profile-preload.ts)
 *
 * Creates a database of its own (dropped at the end); prints a table, writes nothing.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createFreshDatabase, dropDatabase, readPlatformSubgraphs, repoRoot } from '@cinema/data-tools';
import { builtEntryOf, startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import { buildServices, SERVICE_ENTRIES } from '../launcher/src/build-services.js';
import { loadLauncherConfig } from '../launcher/src/config.js';
import { startPlatform, type RunningPlatform } from '../launcher/src/start-platform.js';
import { BENCH_QUERIES, bodiesOf, catalogueContext } from './gateway-queries.js';
import { readProcessUsage } from './process-usage.js';

const adminUrl = process.env.DATABASE_URL;
const queryNames = (process.env.CPU_QUERIES ?? 'Q2,Q4').split(',');
const requestCount = Number(process.env.CPU_REQUESTS ?? 60);
const concurrencies = (process.env.CPU_CONCURRENCY ?? '2').split(',').map(Number);
const gatewayNames = (process.env.CPU_GATEWAYS ?? 'router').split(',') as ('router' | 'hiveRust')[];
const profileDir = process.env.CPU_PROFILE_DIR;
/** Every subgraph of schema/supergraph.yaml. */
const SUBGRAPHS = readPlatformSubgraphs();
const log = (line: string) => console.log(`[bench:cpu] ${line}`);

if (!adminUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
  process.exit(2);
}

// As bench/gateways.bench.ts: production mode, no response cache, no rate limit; every process inherits this.
Object.assign(process.env, {
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('base64url'),
  SUBGRAPH_SECRET: randomBytes(32).toString('base64url'),
  RESPONSE_CACHE: 'false',
  RATE_LIMIT: '0',
  APOLLO_TELEMETRY_DISABLED: '1',
  SERVICE_READY_TIMEOUT_MS: process.env.SERVICE_READY_TIMEOUT_MS ?? '180000',
});
log('building the services (production mode runs the built JavaScript)');
const PROFILE_PRELOAD = 'bench/cpu-profile-preload.ts';
await buildServices([...SERVICE_ENTRIES, PROFILE_PRELOAD, ...(gatewayNames.includes('hiveRust') ? ['bench/hive-gateway.ts'] : [])]);

const databaseName = `cinema_bench_cpu_${Date.now().toString(36)}`;
const databaseUrl = await createFreshDatabase(adminUrl, databaseName);
let platform: RunningPlatform | undefined;
let hive: ServiceProcess | undefined;
try {
  // Only the processes started from here on are profiled (they inherit the variable), not this script.
  // CPU_NODE_OPTIONS: Node flags for the measured processes only (e.g. GC settings to compare).
  const nodeOptions = [
    process.env.CPU_NODE_OPTIONS ?? '',
    profileDir ? `--import=${pathToFileURL(builtEntryOf(path.join(repoRoot, PROFILE_PRELOAD))).href}` : '',
  ]
    .join(' ')
    .trim();
  if (profileDir) process.env.CPU_PROFILE_DIR = profileDir;
  if (nodeOptions) process.env.NODE_OPTIONS = nodeOptions;
  platform = await startPlatform(
    loadLauncherConfig({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', REPLICAS: '1', DEMO_VIDEOS: '0', RATE_LIMIT: '0' }),
    log,
  );
  const service = (name: string) => platform!.services.find((s) => s.name === name)!;
  if (gatewayNames.includes('hiveRust')) {
    const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((name) => [`SUBGRAPH_${name.toUpperCase()}_URLS`, `${service(name).url}/graphql`]));
    hive = await startServiceProcess({
      name: 'hive-gateway-rust',
      entry: path.join(repoRoot, 'bench/hive-gateway.ts'),
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', HIVE_ROUTER_RUNTIME: 'true', ...subgraphUrls },
      readyTimeoutMs: 180_000,
    });
  }
  delete process.env.NODE_OPTIONS;
  const gateways = { router: service('router'), ...(hive ? { hiveRust: hive } : {}) } as Record<string, ServiceProcess>;
  const context = await catalogueContext(`${service('router').url}/graphql`);
  const rows: string[] = [];
  for (const concurrency of concurrencies)
    for (const queryName of queryNames) {
      const query = BENCH_QUERIES.find((q) => q.name === queryName);
      if (!query) throw new Error(`no query ${queryName} in bench/gateway-queries.ts`);
      const bodies = bodiesOf(query, context);
      for (const name of gatewayNames) {
        const gateway = gateways[name]!;
        const url = `${gateway.url}/graphql`;
        // Warm-up: JIT, plans, connection pools.
        await send(url, bodies, Math.min(20, requestCount), concurrency);
        const pids = [gateway.pid, ...SUBGRAPHS.map((s) => service(s).pid)];
        const profile = () => profileDir && pids.forEach((pid) => process.kill(pid, 'SIGUSR2'));
        profile();
        const before = pids.map(readProcessUsage);
        const requestsBefore = await Promise.all(SUBGRAPHS.map((s) => graphqlRequestsOf(service(s).url)));
        const started = performance.now();
        const partial = await send(url, bodies, requestCount, concurrency);
        const seconds = (performance.now() - started) / 1000;
        const after = pids.map(readProcessUsage);
        const requestsAfter = await Promise.all(SUBGRAPHS.map((s) => graphqlRequestsOf(service(s).url)));
        log(
          `${query.name} on ${name}: subgraph requests per query: ${SUBGRAPHS.map((s, i) => `${s} ${((requestsAfter[i]! - requestsBefore[i]!) / requestCount).toFixed(1)}`).join(', ')}`,
        );
        profile();
        if (profileDir) log(`profiles of ${query.name} on ${name}: ${pids.map((pid, i) => `${i === 0 ? name : SUBGRAPHS[i - 1]} ${pid}`).join(', ')}`);
        const perRequest = pids.map((_, i) => (after[i]!.cpuMs - before[i]!.cpuMs) / requestCount);
        const total = perRequest.reduce((a, b) => a + b, 0);
        rows.push(
          `| ${query.name} | ${name} | ${concurrency} | ${requestCount} | ${perRequest.map((ms) => ms.toFixed(1)).join(' | ')} | ${total.toFixed(1)} | ${(requestCount / seconds).toFixed(1)} | ${partial} |`,
        );
        log(rows.at(-1)!);
      }
    }
  console.log(`\nload average (1 min) at the end: ${os.loadavg()[0]!.toFixed(2)}, ${os.cpus().length} CPUs`);
  console.log(`| query | gateway | concurrency | requests | gateway ms | ${SUBGRAPHS.join(' ms | ')} ms | total ms | req/s | partial |`);
  console.log(`| --- | --- | ---: | ---: | ---: | ${SUBGRAPHS.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
  for (const row of rows) console.log(row);
} finally {
  await hive?.stop();
  await platform?.stop();
  await dropDatabase(adminUrl, databaseName);
}

/** How many GraphQL requests a subgraph has served (`http_server_request_duration_seconds_count` of `/graphql`). */
async function graphqlRequestsOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('http_server_request_duration_seconds_count{') && line.includes('route="/graphql"')) total += Number(line.split(' ').at(-1));
  return total;
}

/** Sends `count` requests, `concurrency` at a time, cycling through the bodies; returns how many were partial. */
async function send(url: string, bodies: string[], count: number, concurrency: number): Promise<number> {
  let next = 0;
  let partial = 0;
  const worker = async () => {
    while (next < count) {
      const body = bodies[next++ % bodies.length]!;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = (await response.json()) as { data?: unknown; errors?: unknown[] };
      if (response.status !== 200 || json.errors || json.data == null) partial++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return partial;
}
