import type { EntityCache } from '@cinema/kit/cache';
import { createCachedEntityLoader, createEntityLoader, createGroupLoader, type LoaderOptions } from '@cinema/kit/loaders';
import type { Kysely } from 'kysely';
import type { MovieRow, MoviesDatabase } from './db/database.js';
import { findGenresOfMovies } from './genre.repository.js';
import { findAssetsOfMovies } from './movie-asset.repository.js';
import { findMoviesByIds } from './movie.repository.js';

export interface MoviesLoaderDependencies {
  /** Read-through cache of movie rows; without it every lookup goes to the database. */
  movieCache?: EntityCache<number, MovieRow>;
  options?: LoaderOptions;
}

/** The loaders of one request. Built per request so no cached row outlives it or leaks to another user. */
export function createLoaders(db: Kysely<MoviesDatabase>, { movieCache, options }: MoviesLoaderDependencies = {}) {
  return {
    movieById: createCachedEntityLoader(
      (ids: readonly number[]) => findMoviesByIds(db, ids),
      (row) => row.id,
      movieCache,
      options,
    ),
    genresByMovieId: createGroupLoader(
      (ids: readonly number[]) => findGenresOfMovies(db, ids),
      (row) => row.movie_id,
      options,
    ),
    assetByMovieId: createEntityLoader(
      (ids: readonly number[]) => findAssetsOfMovies(db, ids),
      (row) => row.movie_id,
      options,
    ),
  };
}

export type MoviesLoaders = ReturnType<typeof createLoaders>;
