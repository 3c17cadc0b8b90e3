import { CompiledQuery, sql, type Kysely, type LogEvent } from 'kysely';
import type { RatingsDatabase } from '../subgraphs/ratings/src/db/database.js';
import { findTopRatedMovieIds } from '../subgraphs/ratings/src/ranking.repository.js';
import { findStatsOfMovies } from '../subgraphs/ratings/src/rating.repository.js';

/** The four statements compared at each data size. */
export const queryNames = ['topRatedMaintained', 'topRatedOnTheFly', 'averageMaintained', 'averageOnTheFly'] as const;
export type QueryName = (typeof queryNames)[number];

export const queryLabels: Record<QueryName, string> = {
  topRatedMaintained: 'topRatedMovies(genre): genre_rankings index scan (what the service runs)',
  topRatedOnTheFly: 'topRatedMovies(genre): aggregate over ratings ⋈ projection, on the fly',
  averageMaintained: 'averageRating: movie_rating_stats lookup (what the service runs)',
  averageOnTheFly: 'averageRating: avg(score) over the film’s ratings, on the fly',
};

export interface LatencySummary {
  samples: number;
  p50: number;
  p99: number;
  /** The statement as sent, with its parameters for the plan below. */
  sql: string;
  /** `EXPLAIN (ANALYZE, BUFFERS)` of the statement for the busiest genre or film. */
  plan: string;
}

/** Measures every query's latency with a Kysely log hook: the driver's round trip, statement text and all. */
export class QueryTimer {
  private durations: number[] | undefined;
  private lastQuery: CompiledQuery | undefined;

  /** Pass to `createDatabase({ log })`. */
  readonly log = (event: LogEvent): void => {
    if (event.level !== 'query') return;
    this.durations?.push(event.queryDurationMillis);
    this.lastQuery = event.query;
  };

  /** Runs `run` once per argument (warm-up first, not counted), up to `maxSamples` or `budgetMs`, and summarises. */
  async measure<A>(
    db: Kysely<RatingsDatabase>,
    args: readonly A[],
    run: (arg: A) => Promise<unknown>,
    options: { maxSamples: number; budgetMs: number; warmup: number; explainWith: A },
  ): Promise<LatencySummary> {
    for (let i = 0; i < options.warmup; i++) await run(args[i % args.length]!);
    const durations: number[] = [];
    this.durations = durations;
    const started = performance.now();
    for (let i = 0; i < options.maxSamples && performance.now() - started < options.budgetMs; i++) await run(args[i % args.length]!);
    this.durations = undefined;
    await run(options.explainWith);
    const query = this.lastQuery!;
    const explained = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${query.sql}`, [...query.parameters]));
    const sorted = [...durations].sort((a, b) => a - b);
    return {
      samples: sorted.length,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      sql: `${query.sql}\n-- parameters: ${JSON.stringify(query.parameters)}`,
      plan: explained.rows.map((row) => row['QUERY PLAN']).join('\n'),
    };
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * The reference the maintained ranking must beat: the same ranking (weighted score, then votes, then id) computed
 * from the ratings of every film of the genre at query time.
 */
export function topRatedOnTheFly(db: Kysely<RatingsDatabase>, genre: string) {
  return db
    .selectFrom('ratings as r')
    .innerJoin('catalogue_movies as c', 'c.movie_id', 'r.movie_id')
    .select((eb) => ['r.movie_id', sql<number>`weighted_score(sum(r.score), count(*)::integer)`.as('score'), eb.fn.countAll<number>().as('votes')])
    .where(sql<boolean>`${genre} = any(c.genres)`)
    .groupBy('r.movie_id')
    .orderBy('score', 'desc')
    .orderBy('votes', 'desc')
    .orderBy('r.movie_id')
    .limit(10)
    .execute();
}

/** The reference for `averageRating`: the mean of one film's ratings, computed at query time. */
export function averageOnTheFly(db: Kysely<RatingsDatabase>, movieId: number) {
  return db
    .selectFrom('ratings')
    .select((eb) => [eb.fn.avg<number>('score').as('average'), eb.fn.countAll<number>().as('votes')])
    .where('movie_id', '=', movieId)
    .executeTakeFirst();
}

/** Latency of the four queries at one data size, over every genre and a spread of films from most to least rated. */
export async function measureQueries(db: Kysely<RatingsDatabase>, timer: QueryTimer): Promise<Record<QueryName, LatencySummary>> {
  const genres = (await db.selectFrom('genre_rankings').select('genre').distinct().orderBy('genre').execute()).map((row) => row.genre);
  const byVotes = await db.selectFrom('movie_rating_stats').select('movie_id').orderBy('rating_count', 'desc').orderBy('movie_id').execute();
  // Every 25th film by popularity: the head, where on-the-fly costs most, and the long tail.
  const movieIds = byVotes.filter((_, index) => index % 25 === 0).map((row) => row.movie_id);
  const busiestGenre = (
    await db
      .selectFrom('genre_rankings')
      .select('genre')
      .groupBy('genre')
      .orderBy(sql`sum(rating_count)`, 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
  ).genre;
  const busiestMovie = byVotes[0]!.movie_id;
  const fast = { maxSamples: 3_000, budgetMs: 20_000, warmup: 50 };
  const slow = { maxSamples: 300, budgetMs: 40_000, warmup: 3 };
  return {
    topRatedMaintained: await timer.measure(db, genres, (genre) => findTopRatedMovieIds(db, { genre, limit: 10, minVotes: 1 }), {
      ...fast,
      explainWith: busiestGenre,
    }),
    topRatedOnTheFly: await timer.measure(db, genres, (genre) => topRatedOnTheFly(db, genre), { ...slow, explainWith: busiestGenre }),
    averageMaintained: await timer.measure(db, movieIds, (id) => findStatsOfMovies(db, [id]), { ...fast, explainWith: busiestMovie }),
    averageOnTheFly: await timer.measure(db, movieIds, (id) => averageOnTheFly(db, id), { ...slow, explainWith: busiestMovie }),
  };
}
