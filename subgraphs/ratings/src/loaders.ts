import { createEntityLoader, type LoaderOptions } from '@cinema/kit/loaders';
import type { Kysely } from 'kysely';
import type { RatingsDatabase } from './db/database.js';
import { findStatsOfMovies, findUserScores } from './rating.repository.js';

/**
 * The loaders of one request. `myScoreByMovieId` is bound to the request's user, which is why loaders are never
 * shared across requests: a shared one would hand one user's scores to another.
 */
export function createLoaders(db: Kysely<RatingsDatabase>, userId: string | null, options: LoaderOptions = {}) {
  return {
    statsByMovieId: createEntityLoader(
      (ids: readonly number[]) => findStatsOfMovies(db, ids),
      (row) => row.movie_id,
      options,
    ),
    myScoreByMovieId: createEntityLoader(
      (ids: readonly number[]) => (userId ? findUserScores(db, userId, ids) : Promise.resolve([])),
      (row) => row.movie_id,
      options,
    ),
  };
}

export type RatingsLoaders = ReturnType<typeof createLoaders>;
