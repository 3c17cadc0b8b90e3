import { anyOf } from '@cinema/db';
import { sql, type Kysely } from 'kysely';
import type { RatingRow, RatingsDatabase } from './db/database.js';
import { lockMovies } from './movie-lock.js';

/** Raised inside the write transaction when the movie is not in the catalogue; the transaction rolls back. */
export class UnknownMovieError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(readonly movieId: number) {
    super(`No Movie with id "${movieId}"`);
    this.name = 'UnknownMovieError';
  }
}

export interface RateMovieInput {
  userId: string;
  movieId: number;
  score: number;
}

/**
 * Writes a user's score and updates the movie's statistics and genre rankings in the same transaction.
 *
 * A per-movie advisory lock serializes writers of one movie, so the read-modify-write of count, sum and histogram
 * cannot lose updates however many users rate the film at once; rating again with the same score changes nothing
 * but `updated_at` (idempotent per user and movie).
 */
export async function rateMovie(db: Kysely<RatingsDatabase>, input: RateMovieInput): Promise<RatingRow> {
  return db.transaction().execute(async (trx) => {
    await lockMovies(trx, [input.movieId]);
    const known = await trx.selectFrom('catalogue_movies').select('movie_id').where('movie_id', '=', input.movieId).executeTakeFirst();
    if (!known) throw new UnknownMovieError(input.movieId);

    // Identity comes from the token's issuer: the first write of a new user creates its record.
    await trx
      .insertInto('users')
      .values({ id: input.userId })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const previous = await trx
      .selectFrom('ratings')
      .select('score')
      .where('user_id', '=', input.userId)
      .where('movie_id', '=', input.movieId)
      .executeTakeFirst();
    const rating = await trx
      .insertInto('ratings')
      .values({ user_id: input.userId, movie_id: input.movieId, score: input.score })
      .onConflict((oc) => oc.columns(['user_id', 'movie_id']).doUpdateSet({ score: input.score, updated_at: sql<Date>`now()` }))
      .returningAll()
      .executeTakeFirstOrThrow();

    const stats = await trx.selectFrom('movie_rating_stats').selectAll().where('movie_id', '=', input.movieId).executeTakeFirst();
    const histogram = stats ? [...stats.histogram] : Array.from({ length: 10 }, () => 0);
    let count = stats?.rating_count ?? 0;
    let sum = stats?.rating_sum ?? 0;
    if (previous) {
      histogram[previous.score - 1] = (histogram[previous.score - 1] ?? 0) - 1;
      sum -= previous.score;
    } else {
      count += 1;
    }
    histogram[input.score - 1] = (histogram[input.score - 1] ?? 0) + 1;
    sum += input.score;
    const weighted = sql<number>`weighted_score(${sum}::bigint, ${count}::integer)`;
    const row = await trx
      .insertInto('movie_rating_stats')
      .values({ movie_id: input.movieId, rating_count: count, rating_sum: sum, histogram, weighted_score: weighted })
      .onConflict((oc) =>
        oc.column('movie_id').doUpdateSet({ rating_count: count, rating_sum: sum, histogram, weighted_score: weighted, updated_at: sql<Date>`now()` }),
      )
      .returning(['weighted_score'])
      .executeTakeFirstOrThrow();
    await trx.updateTable('genre_rankings').set({ weighted_score: row.weighted_score, rating_count: count }).where('movie_id', '=', input.movieId).execute();
    return rating;
  });
}

/** Statistics of many movies in one statement. */
export function findStatsOfMovies(db: Kysely<RatingsDatabase>, movieIds: readonly number[]) {
  return db.selectFrom('movie_rating_stats').select(['movie_id', 'rating_count', 'rating_sum']).where('movie_id', '=', anyOf(movieIds)).execute();
}

/** A rating with its exact `updated_at` in microseconds since the epoch, the key of the newest-first pages. */
export type RatingWithPosition = RatingRow & { updated_at_us: number };

export interface UserRatingPageQuery {
  userId: string;
  limit: number;
  /** Keyset: only ratings older than this one, in (updated_at, movie_id) descending order. */
  after?: { updatedAtUs: number; movieId: number };
}

/**
 * One page of a user's ratings, newest first, ties broken by movie id descending: a backward range scan of
 * `ratings_user_updated_idx`. The position is kept in microseconds because that is PostgreSQL's precision; a
 * JavaScript Date would round it to milliseconds and skip or repeat ratings written in the same millisecond.
 */
export function findUserRatingPage(db: Kysely<RatingsDatabase>, query: UserRatingPageQuery): Promise<RatingWithPosition[]> {
  let select = db
    .selectFrom('ratings')
    .selectAll()
    .select(sql<number>`(extract(epoch from updated_at) * 1000000)::bigint`.as('updated_at_us'))
    .where('user_id', '=', query.userId);
  if (query.after) {
    const { updatedAtUs, movieId } = query.after;
    const updatedAt = sql<Date>`timestamptz 'epoch' + ${updatedAtUs} * interval '1 microsecond'`;
    select = select.where(({ eb, refTuple, tuple }) => eb(refTuple('updated_at', 'movie_id'), '<', tuple(updatedAt, movieId)));
  }
  return select.orderBy('updated_at', 'desc').orderBy('movie_id', 'desc').limit(query.limit).execute();
}

/** One user's scores for many movies in one statement. */
export function findUserScores(db: Kysely<RatingsDatabase>, userId: string, movieIds: readonly number[]) {
  return db.selectFrom('ratings').select(['movie_id', 'score']).where('user_id', '=', userId).where('movie_id', '=', anyOf(movieIds)).execute();
}
