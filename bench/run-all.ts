/**
 * `npm run bench`: the benchmarks that compare the platform with its peers and with its own ceiling, one after the
 * other, each writing its report under docs/benchmarks/ (about 15 minutes on a 2-core machine):
 *
 * - `gateways.bench.ts`: the project router against the stock `@apollo/gateway` and Hive Gateway (JS and Rust
 *   planners) on deep federated queries, in production mode (docs/benchmarks/gateways.md);
 * - `response-cache.bench.ts`: what a response cache hit costs against a bare Node server returning the same bytes
 *   (docs/benchmarks/response-cache.md).
 *
 * Needs DATABASE_URL (each benchmark creates and drops a database of its own) and wrk; REDIS_URL puts the response
 * cache on Redis, as deployed. `BENCH_ONLY=gateways` (or a comma-separated list of names) runs fewer; the other
 * benchmarks in bench/ (router balancing, chunk server, ratings at scale) run on their own, with `npx tsx`.
 * Nothing is skipped silently: a missing tool or setting fails the run with what to do.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';
import { assertWrkInstalled } from './gateway-load.js';

const BENCHMARKS = { gateways: 'bench/gateways.bench.ts', 'response-cache': 'bench/response-cache.bench.ts' } as const;
type BenchmarkName = keyof typeof BENCHMARKS;

if (!process.env.DATABASE_URL) {
  console.error(
    'Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres); every benchmark creates and drops a database of its own there.',
  );
  process.exit(2);
}
assertWrkInstalled();
const only = process.env.BENCH_ONLY?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = only?.filter((name) => !(name in BENCHMARKS));
if (unknown?.length) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const selected = (Object.keys(BENCHMARKS) as BenchmarkName[]).filter((name) => !only || only.includes(name));
const left = (Object.keys(BENCHMARKS) as BenchmarkName[]).filter((name) => !selected.includes(name));
if (left.length) console.log(`[bench] not running ${left.join(', ')} (BENCH_ONLY=${only!.join(',')})`);
if (!process.env.REDIS_URL) console.log('[bench] REDIS_URL is not set: the response cache benchmark uses the in-process store, not Redis as deployed');

const failures: string[] = [];
for (const name of selected) {
  const started = performance.now();
  console.log(`[bench] ${name}: ${BENCHMARKS[name]}`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, BENCHMARKS[name])], { stdio: 'inherit', cwd: repoRoot });
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  console.log(`[bench] ${name} ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  if (code !== 0) failures.push(name);
}
if (failures.length) {
  console.error(`[bench] failed: ${failures.join(', ')}`);
  process.exit(1);
}
