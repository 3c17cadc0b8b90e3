/**
 * Throughput and latency through the router with 1 and with 2 replicas per subgraph, and what the balancer adds
 * compared with the stock gateway pointed at a single URL per subgraph: one run, same data, same subgraph processes.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/router-balancing.bench.ts
 *   (BENCH_SECONDS=8 BENCH_ROUNDS=5 BENCH_CONNECTIONS=16 by default)
 *
 * Creates a database of its own on DATABASE_URL's server (dropped at the end) and writes docs/benchmarks/router.md.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createFreshDatabase, dropDatabase, repoRoot } from '@cinema/data-tools';
import { startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import { loadLauncherConfig } from '../launcher/src/config.js';
import { startPlatform, type RunningPlatform } from '../launcher/src/start-platform.js';
import { measureFetchOverhead } from './router-fetch-overhead.js';
import { requestBody, runGraphQLLoad, type GraphQLLoadResult } from './router-load.js';
import { ROUTER_TARGETS, p50Overhead, writeRouterReport, type LoadShape, type RouterReport, type RouterTarget } from './router-report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const adminUrl = process.env.DATABASE_URL;
const QUERY = 'query($id: ID!) { movie(id: $id) { id title averageRating cast { character person { id name } } } }';
const IDS = 500;
const shapes: LoadShape[] = [
  { name: 'latency', connections: 1 },
  { name: 'throughput', connections },
];
const log = (line: string) => console.log(`[bench] ${line}`);
// The balancer is measured, not the response cache: every request must reach the subgraphs (the launcher and the
// router processes started here inherit this environment).
process.env.RESPONSE_CACHE = 'false';

if (!adminUrl) {
  console.error(
    'Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres); the benchmark creates and drops a database of its own there.',
  );
  process.exit(2);
}

// Every request must reach the subgraphs (no response cache), and the load comes from one address (no rate limit).
// The launcher and the routers started below inherit this environment.
Object.assign(process.env, { RESPONSE_CACHE: 'false', RATE_LIMIT: '0' });
const loadAtStart = os.loadavg()[0]!;
const databaseName = `cinema_bench_router_${Date.now().toString(36)}`;
const databaseUrl = await createFreshDatabase(adminUrl, databaseName);
let platform: RunningPlatform | undefined;
const extra: ServiceProcess[] = [];
try {
  log('starting the platform: seeded database, 2 replicas of each subgraph, balancing router');
  platform = await startPlatform(loadLauncherConfig({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', REPLICAS: '2', DEMO_VIDEOS: '0' }), log);
  const subgraphs = platform.services.filter((service) => service.name !== 'router');
  const firstReplicas = Object.fromEntries(
    ['movies', 'people', 'ratings'].map((name) => [
      `SUBGRAPH_${name.toUpperCase()}_URLS`,
      `${subgraphs.find((service) => service.name === name)!.url}/graphql`,
    ]),
  );
  const routerEnv = { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...firstReplicas };
  const start = async (name: string, entry: string) => {
    const started = await startServiceProcess({ name, entry: path.join(repoRoot, entry), env: routerEnv });
    extra.push(started);
    return `${started.url}/graphql`;
  };
  const urls: Record<RouterTarget, string> = {
    stock: await start('stock-gateway', 'bench/router-stock-gateway.ts'),
    balanced1: await start('router-1-replica', 'router/src/index.ts'),
    balanced2: platform.routerUrl,
  };
  const targets = Object.keys(urls) as RouterTarget[];
  await assertSameAnswers(urls);
  log('all three set-ups give identical answers; warming up');
  for (const target of targets) await runGraphQLLoad({ url: urls[target], query: QUERY, ids: IDS, connections, seconds: 3 });

  const rounds: RouterReport['rounds'][number][] = [];
  for (let round = 0; round < roundCount; round++) {
    const results: Record<string, Record<RouterTarget, GraphQLLoadResult>> = {};
    for (const shape of shapes) {
      results[shape.name] = {} as Record<RouterTarget, GraphQLLoadResult>;
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const target of order) {
        const result = await runGraphQLLoad({ url: urls[target], query: QUERY, ids: IDS, connections: shape.connections, seconds });
        results[shape.name]![target] = result;
        log(
          `round ${round + 1} ${shape.name.padEnd(10)} ${ROUTER_TARGETS[target].padEnd(42)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  errors ${result.errors}`,
        );
      }
    }
    rounds.push(results);
    // wrk counts only transport errors and HTTP statuses; a set-up that started answering with GraphQL errors
    // (a subgraph or the database gone) would look fast. Check the answers again after every round.
    await assertSameAnswers(urls);
  }
  log('measuring the balancing logic alone: one subgraph fetch, bare undici against the balancer, in-process');
  const fetchOverhead = await measureFetchOverhead();
  const report: RouterReport = { date: new Date(), machine: machine(loadAtStart), seconds, query: QUERY, ids: IDS, shapes, rounds, fetchOverhead };
  for (const shape of shapes) log(`p50 added by the balancing router over the stock gateway (${shape.name}): ${p50Overhead(report, shape.name).toFixed(1)} %`);
  log(`one subgraph fetch: ${fetchOverhead.bareMicros.toFixed(1)} µs bare, ${fetchOverhead.balancedMicros.toFixed(1)} µs through the balancer`);
  log(`wrote ${path.relative(process.cwd(), await writeRouterReport(report))}`);
} finally {
  await Promise.all(extra.map((service) => service.stop()));
  await platform?.stop();
  await dropDatabase(adminUrl, databaseName);
}

/** The set-ups must answer alike, or the comparison would measure different work. */
async function assertSameAnswers(urls: Record<RouterTarget, string>): Promise<void> {
  for (let id = 1; id <= 20; id++) {
    const answers = await Promise.all(
      Object.values(urls).map(async (url) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody(QUERY, id) });
        return response.text();
      }),
    );
    if (answers.some((answer) => answer !== answers[0]) || answers[0]!.includes('"errors"'))
      throw new Error(`set-ups disagree (or fail) for movie ${id}:\n${answers.join('\n')}`);
  }
}

function machine(loadAtStart: number): Record<string, string> {
  const version = (command: string, args: string[]) => {
    // wrk prints its version and exits with 1, so read the output whatever the status.
    const result = spawnSync(command, args, { encoding: 'utf8' });
    return result.error ? 'not installed' : `${result.stdout}${result.stderr}`.split('\n')[0]!.trim();
  };
  return {
    'Load average (1 min), start → end': `${loadAtStart.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`,
    CPU: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    Memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()}`,
    Node: process.version,
    PostgreSQL: version('psql', [adminUrl!, '-Atc', 'show server_version']),
    wrk: version('wrk', ['--version']),
  };
}
