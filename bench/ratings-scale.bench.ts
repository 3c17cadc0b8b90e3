/**
 * Ratings queries at 100k, 1M and 10M ratings: the maintained statistics the service reads against the same answers
 * computed on the fly, with p50/p99, EXPLAIN plans, the seed times and the Wikipedia import time.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/ratings-scale.bench.ts
 *   (RATINGS_BENCH_SCALES=100k,1m to run fewer sizes)
 *
 * Each size gets a database of its own on DATABASE_URL's server, dropped at the end. Writes
 * docs/benchmarks/ratings-scale.md and docs/benchmarks/ratings-scale.svg.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '@cinema/db';
import { createFreshDatabase, dropDatabase, importWikipediaMovies, migrateAll, repoRoot, seedDatabase, seedScales, type SeedScale } from '@cinema/data-tools';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { closeGracefully, listen } from '@cinema/kit/process';
import { sql } from 'kysely';
import type { MoviesDatabase } from '../subgraphs/movies/src/db/database.js';
import { createMoviesServer } from '../subgraphs/movies/src/server.js';
import { createCatalogueSync } from '../subgraphs/ratings/src/catalogue-sync.js';
import type { RatingsDatabase } from '../subgraphs/ratings/src/db/database.js';
import { measureQueries, QueryTimer } from './ratings-scale-measure.js';
import { writeRatingsScaleReport, type ScaleResult } from './ratings-scale-report.js';

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.error('DATABASE_URL must name a PostgreSQL server the benchmark may create databases on.');
  process.exit(2);
}
const scales = (process.env.RATINGS_BENCH_SCALES ?? '100k,1m,10m').split(',') as SeedScale[];
for (const scale of scales) if (!(scale in seedScales)) throw new Error(`Unknown scale "${scale}"; use ${Object.keys(seedScales).join(', ')}`);
const log = (line: string) => console.log(`[bench] ${line}`);
const logger = createLogger('ratings-bench', 'silent');
const runId = Date.now().toString(36);

/** A fresh database for one step, always dropped afterwards. */
async function withDatabase<T>(label: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `cinema_bench_${label}_${runId}`;
  const url = await createFreshDatabase(adminUrl!, name);
  try {
    await migrateAll(url);
    return await work(url);
  } finally {
    await dropDatabase(adminUrl!, name);
  }
}

/** Fills the ratings service's genre projection the way the service does: from the movies service's feed. */
async function fillProjection(url: string): Promise<void> {
  const moviesDb = createDatabase<MoviesDatabase>({ connectionString: url, schema: 'movies', poolSize: 2 });
  const ratingsDb = createDatabase<RatingsDatabase>({ connectionString: url, schema: 'ratings', poolSize: 2 });
  const movies = await createMoviesServer({ db: moviesDb, logger, development: false, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET });
  try {
    const port = await listen(movies.server, 0);
    const applied = await createCatalogueSync(ratingsDb, {
      moviesFeedUrls: [`http://127.0.0.1:${port}`],
      logger,
      catalogueSyncIntervalMs: 60_000,
      subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET,
    }).syncOnce();
    await sql`vacuum (analyze) catalogue_movies, genre_rankings`.execute(ratingsDb);
    log(`  projection filled from ${applied.toLocaleString('en-US')} catalogue events`);
  } finally {
    await closeGracefully(movies.server, 1_000);
    await movies.stop();
    await Promise.all([moviesDb.destroy(), ratingsDb.destroy()]);
  }
}

async function runScale(scale: SeedScale): Promise<ScaleResult> {
  return withDatabase(scale, async (url) => {
    log(`${scale}: seeding ${seedScales[scale].ratings.toLocaleString('en-US')} ratings`);
    const phases: string[] = [];
    const seed = await seedDatabase(url, {
      scale: seedScales[scale],
      onProgress: (line) => {
        if (/copied|rebuilt|recomputed|vacuumed|\/.*0{6}\//.test(line)) log(`  ${line}`);
        if (/copied|rebuilt|recomputed|vacuumed/.test(line)) phases.push(line.replace(/^ratings: /, ''));
      },
    });
    log(`  seeded in ${(seed.durationMs / 1000).toFixed(1)} s`);
    await fillProjection(url);
    const timer = new QueryTimer();
    const db = createDatabase<RatingsDatabase>({ connectionString: url, schema: 'ratings', poolSize: 1, applicationName: 'ratings-bench', log: timer.log });
    try {
      const queries = await measureQueries(db, timer);
      for (const [name, summary] of Object.entries(queries))
        log(`  ${name}: p50 ${summary.p50.toFixed(3)} ms, p99 ${summary.p99.toFixed(3)} ms (${summary.samples} samples)`);
      return { scale, ratings: seed.ratings, users: seed.users, movies: seed.movies, seedMs: seed.durationMs, seedPhases: phases, queries };
    } finally {
      await db.destroy();
    }
  });
}

async function runImport(): Promise<{ ms: number; movies: number } | null> {
  const folder = path.resolve(repoRoot, '../shared/data/wikipedia-movies');
  if (!existsSync(folder)) {
    log(`${folder} is missing: skipping the Wikipedia import timing`);
    return null;
  }
  return withDatabase('import', async (url) => {
    log('importing the Wikipedia catalogue');
    const report = await importWikipediaMovies(url, folder);
    log(`  imported ${report.imported.toLocaleString('en-US')} films in ${(report.durationMs / 1000).toFixed(1)} s`);
    return { ms: report.durationMs, movies: report.imported };
  });
}

async function describeEnvironment(): Promise<string[]> {
  const db = createDatabase<unknown>({ connectionString: adminUrl!, schema: 'public', poolSize: 1 });
  try {
    const setting = async (name: string) => (await sql<{ value: string }>`select current_setting(${name}) as value`.execute(db)).rows[0]?.value;
    const version = (await sql<{ version: string }>`select version()`.execute(db)).rows[0]?.version.split(' on ')[0];
    return [
      `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}`,
      `${version}: shared_buffers ${await setting('shared_buffers')}, work_mem ${await setting('work_mem')}, max_parallel_workers_per_gather ${await setting('max_parallel_workers_per_gather')}, synchronous_commit ${await setting('synchronous_commit')}`,
      `Node ${process.version}; run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    ];
  } finally {
    await db.destroy();
  }
}

const environment = await describeEnvironment();
const results: ScaleResult[] = [];
for (const scale of scales) results.push(await runScale(scale));
const imported = await runImport();
const folder = path.join(repoRoot, 'docs', 'benchmarks');
writeRatingsScaleReport(folder, { results, importMs: imported?.ms ?? null, importedMovies: imported?.movies ?? null, environment });
log(`wrote ${path.relative(process.cwd(), path.join(folder, 'ratings-scale.md'))} and ratings-scale.svg`);
