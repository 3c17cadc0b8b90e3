/**
 * Gateways side by side on the same subgraph processes, in production mode: the project router, the stock
 * `@apollo/gateway`, and Hive Gateway with its JavaScript planner and with its Rust planner. Deep federated queries
 * (bench/gateway-queries.ts) at 16 and 64 connections, rotated rounds; throughput, latency, partial answers, CPU per
 * request of every gateway and subgraph, resident memory of every gateway. Every gateway's answers are checked to be
 * complete and identical before the first round and after each one.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/gateways.bench.ts
 *   (BENCH_ROUNDS=3, BENCH_CONNECTIONS=16,64, BENCH_TIME_SCALE=1 multiplies each query's seconds)
 *
 * Creates a database of its own (dropped at the end) and writes docs/benchmarks/gateways.md. Exits non-zero when
 * any answer was partial or the gateways disagreed, after writing the report.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFreshDatabase, dropDatabase, readPlatformSubgraphs, repoRoot } from '@cinema/data-tools';
import { startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import { buildServices, SERVICE_ENTRIES } from '../launcher/src/build-services.js';
import { loadLauncherConfig } from '../launcher/src/config.js';
import { startPlatform, type RunningPlatform } from '../launcher/src/start-platform.js';
import { assertWrkInstalled, runGatewayLoad } from './gateway-load.js';
import { BENCH_QUERIES, bodiesOf, catalogueContext } from './gateway-queries.js';
import { GATEWAYS, SUBGRAPHS, writeGatewaysReport, type Disagreement, type GatewayMeasurement, type GatewayName } from './gateways-report.js';
import { readProcessUsage } from './process-usage.js';

const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '16,64').split(',').map(Number);
const timeScale = Number(process.env.BENCH_TIME_SCALE ?? 1);
const adminUrl = process.env.DATABASE_URL;
const log = (line: string) => console.log(`[bench:gateways] ${line}`);

if (!adminUrl) {
  console.error(
    'Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres); the benchmark creates and drops a database of its own there.',
  );
  process.exit(2);
}
assertWrkInstalled();

// Production mode, as deployed: built JavaScript, NODE_ENV=production (so real secrets), every request reaching the
// subgraphs (no response cache) and no rate limit (the load comes from one address). Every process started below
// inherits this environment.
Object.assign(process.env, {
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('base64url'),
  SUBGRAPH_SECRET: randomBytes(32).toString('base64url'),
  RESPONSE_CACHE: 'false',
  RATE_LIMIT: '0',
  APOLLO_TELEMETRY_DISABLED: '1',
  // Every process starts at once; on a machine shared with other work that can take far longer than 30 s.
  SERVICE_READY_TIMEOUT_MS: process.env.SERVICE_READY_TIMEOUT_MS ?? '180000',
});
const loadAverages: number[] = [os.loadavg()[0]!];
const startedAt = Date.now();
log('building the services and the benchmark gateways (production mode runs the built JavaScript)');
await buildServices([...SERVICE_ENTRIES, 'bench/router-stock-gateway.ts', 'bench/hive-gateway.ts']);

const databaseName = `cinema_bench_gateways_${Date.now().toString(36)}`;
const databaseUrl = await createFreshDatabase(adminUrl, databaseName);
let platform: RunningPlatform | undefined;
const peers: ServiceProcess[] = [];
let failed = false;
try {
  log('starting the platform: seeded database, 1 replica per subgraph, the project router');
  platform = await startPlatform(
    loadLauncherConfig({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', REPLICAS: '1', DEMO_VIDEOS: '0', RATE_LIMIT: '0' }),
    log,
  );
  const service = (name: string) => platform!.services.find((s) => s.name === name)!;
  // Every subgraph of the supergraph (the peers' supergraph names them all), not only the ones the report measures.
  const subgraphUrls = Object.fromEntries(readPlatformSubgraphs().map((name) => [`SUBGRAPH_${name.toUpperCase()}_URLS`, `${service(name).url}/graphql`]));
  const peerEnv = { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...subgraphUrls };
  const startPeer = async (name: string, entry: string, env: NodeJS.ProcessEnv = {}) => {
    // Hive Gateway loads hundreds of modules: on a busy machine that takes far longer than a service's usual 30 s.
    const started = await startServiceProcess({ name, entry: path.join(repoRoot, entry), env: { ...peerEnv, ...env }, readyTimeoutMs: 180_000 });
    peers.push(started);
    return started;
  };
  const gateways: Record<GatewayName, ServiceProcess> = {
    router: service('router'),
    stock: await startPeer('stock-gateway', 'bench/router-stock-gateway.ts'),
    hiveJs: await startPeer('hive-gateway-js', 'bench/hive-gateway.ts', { HIVE_ROUTER_RUNTIME: 'false' }),
    hiveRust: await startPeer('hive-gateway-rust', 'bench/hive-gateway.ts', { HIVE_ROUTER_RUNTIME: 'true' }),
  };
  const names = Object.keys(GATEWAYS) as GatewayName[];
  const urlOf = (name: GatewayName) => `${gateways[name].url}/graphql`;
  const context = await catalogueContext(urlOf('router'));
  const bodies = Object.fromEntries(BENCH_QUERIES.map((query) => [query.name, bodiesOf(query, context)]));

  const disagreements: Disagreement[] = [];
  const checkAnswers = async (when: string) => {
    const found = await compareAnswers(names, urlOf, bodies, when);
    disagreements.push(...found);
    log(
      found.length === 0
        ? `answers checked ${when}: complete and identical on every gateway`
        : `answers checked ${when}: ${found.length} disagreements, see the report; the first:`,
    );
    for (const d of found.slice(0, 3)) log(`  ${d.query} ${GATEWAYS[d.gateway]} ${d.variables}: ${d.reason}: ${d.excerpt}`);
  };
  await checkAnswers('before the first round');
  log('warming up every gateway on every query (JIT, planner caches, connection pools)');
  for (const name of names)
    for (const query of BENCH_QUERIES) await runGatewayLoad({ url: urlOf(name), bodies: bodies[query.name]!, connections: 16, seconds: 2 });
  await waitForQuiet([...Object.values(gateways).map((g) => g.pid), ...SUBGRAPHS.map((name) => service(name).pid)]);

  const measurements: GatewayMeasurement[] = [];
  const watched = {
    gateways: Object.fromEntries(names.map((name) => [name, gateways[name].pid])) as Record<GatewayName, number>,
    subgraphs: Object.fromEntries(SUBGRAPHS.map((name) => [name, service(name).pid])),
  };
  for (let round = 0; round < roundCount; round++) {
    for (const connections of connectionCounts) {
      for (const query of BENCH_QUERIES) {
        // Each round starts with a different gateway, so background noise falls on all of them.
        const order = names.map((_, i) => names[(i + round) % names.length]!);
        for (const name of order) {
          const pids = [watched.gateways[name], ...Object.values(watched.subgraphs)];
          const before = pids.map(readProcessUsage);
          const result = await runGatewayLoad({
            url: urlOf(name),
            bodies: bodies[query.name]!,
            connections,
            seconds: Math.max(1, Math.round(query.seconds * timeScale)),
          });
          const after = pids.map(readProcessUsage);
          const perRequest = (i: number) => (result.requests > 0 ? (after[i]!.cpuMs - before[i]!.cpuMs) / result.requests : Number.NaN);
          measurements.push({
            round: round + 1,
            connections,
            query: query.name,
            gateway: name,
            ...result,
            gatewayCpuMs: perRequest(0),
            subgraphCpuMs: Object.fromEntries(SUBGRAPHS.map((subgraph, i) => [subgraph, perRequest(i + 1)])),
            gatewayRssBytes: after[0]!.rssBytes,
          });
          log(
            `round ${round + 1} ${String(connections).padStart(2)} conn. ${query.name} ${GATEWAYS[name].padEnd(28)} ${result.requestsPerSecond.toFixed(1).padStart(7)} req/s  p50 ${result.p50Ms.toFixed(0).padStart(5)} ms  p99 ${result.p99Ms.toFixed(0).padStart(5)} ms  partial ${result.partial}  errors ${result.transportErrors}  gateway ${perRequest(0).toFixed(2)} ms CPU/req`,
          );
          // Requests wrk abandoned at the end of its run may still be running: let them finish before measuring the next gateway.
          await waitForQuiet(pids);
        }
      }
    }
    loadAverages.push(os.loadavg()[0]!);
    await checkAnswers(`after round ${round + 1}`);
  }
  const file = await writeGatewaysReport({
    date: new Date(),
    minutes: (Date.now() - startedAt) / 60_000,
    machine: machine(),
    loadAverages,
    queries: BENCH_QUERIES,
    connectionCounts,
    rounds: roundCount,
    measurements,
    disagreements,
  });
  log(`wrote ${path.relative(process.cwd(), file)}`);
  const partial = measurements.reduce((sum, m) => sum + m.partial + m.transportErrors, 0);
  if (partial > 0 || disagreements.length > 0) {
    failed = true;
    log(`FAILED: ${partial} partial or failed answers under load, ${disagreements.length} disagreements between gateways (see the report)`);
  }
} finally {
  await Promise.all(peers.map((peer) => peer.stop()));
  await platform?.stop();
  await dropDatabase(adminUrl, databaseName);
}
process.exit(failed ? 1 : 0);

/**
 * Asks every gateway the same requests, one at a time (no load), and returns where an answer has errors, lacks
 * data, or differs from the project router's. A sample: the first two bodies of each query and three spread over
 * the rest.
 */
async function compareAnswers(
  names: GatewayName[],
  urlOf: (name: GatewayName) => string,
  bodies: Record<string, string[]>,
  when: string,
): Promise<Disagreement[]> {
  const found: Disagreement[] = [];
  for (const [query, all] of Object.entries(bodies)) {
    const sample = [...all.slice(0, 2), ...[1, 2, 3].map((k) => all[Math.floor((k * all.length) / 4)]!)];
    for (const body of sample) {
      // One gateway at a time: the check measures correctness, not how the subgraphs cope with four at once.
      const answers: Answer[] = [];
      for (const name of names) answers.push({ name, ...(await ask(urlOf(name), body)) });
      // The reference is the data most gateways agree on among complete answers, so one failing gateway (the
      // project router included) shows as that gateway's problem, not as everyone else's.
      const votes = new Map<string, number>();
      for (const answer of answers)
        if (answer.status === 200 && !answer.json.errors && answer.json.data != null)
          votes.set(JSON.stringify(answer.json.data), (votes.get(JSON.stringify(answer.json.data)) ?? 0) + 1);
      const reference = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
      for (const answer of answers) {
        const reason =
          answer.status !== 200
            ? `HTTP ${answer.status}`
            : answer.json.errors
              ? 'errors in the answer'
              : answer.json.data == null
                ? 'no data'
                : JSON.stringify(answer.json.data) !== reference
                  ? "data differs from the other gateways' answer"
                  : null;
        if (reason)
          found.push({
            when,
            query,
            gateway: answer.name,
            variables: JSON.stringify((JSON.parse(body) as { variables: unknown }).variables),
            reason,
            excerpt: answer.text.slice(0, 300),
          });
      }
    }
  }
  return found;
}

interface Answer {
  name: GatewayName;
  status: number;
  json: { data?: unknown; errors?: unknown[] };
  text: string;
}

async function ask(url: string, body: string): Promise<Omit<Answer, 'name'>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) as Answer['json'], text };
  } catch {
    return { status: response.status, json: {}, text };
  }
}

/** Waits until the watched processes use less than 5 % of a core over half a second (at most 30 s). */
async function waitForQuiet(pids: number[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = pids.reduce((sum, pid) => sum + readProcessUsage(pid).cpuMs, 0);
  while (Date.now() < deadline) {
    await sleep(500);
    const now = pids.reduce((sum, pid) => sum + readProcessUsage(pid).cpuMs, 0);
    if (now - last < 25) return;
    last = now;
  }
}

function machine(): Record<string, string> {
  return {
    CPU: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    Memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    Node: process.version,
    Gateways: `@apollo/gateway ${version('@apollo/gateway')}, @graphql-hive/gateway ${version('@graphql-hive/gateway')}, @graphql-hive/router-runtime ${version('@graphql-hive/router-runtime')}`,
  };
}

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
