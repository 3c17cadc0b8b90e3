import { createEntityLoader, type LoaderOptions } from '@cinema/kit/loaders';
import type { Kysely } from 'kysely';
import type { ViewingDatabase } from './db/database.js';
import { findUserProgress } from './watch-progress.repository.js';

/**
 * The loaders of one request. `myProgressByMovieId` is bound to the request's user, which is why loaders are never
 * shared across requests: a shared one would hand one user's progress to another.
 */
export function createLoaders(db: Kysely<ViewingDatabase>, userId: string | null, options: LoaderOptions = {}) {
  return {
    myProgressByMovieId: createEntityLoader(
      (ids: readonly number[]) => (userId ? findUserProgress(db, userId, ids) : Promise.resolve([])),
      (row) => row.movie_id,
      options,
    ),
  };
}

export type ViewingLoaders = ReturnType<typeof createLoaders>;
