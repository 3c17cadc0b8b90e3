import { createEntityLoader, createGroupLoader } from '@cinema/kit';
import type { Kysely } from 'kysely';
import type { MoviesDatabase } from './db/database.js';
import { findGenresOfMovies } from './genre.repository.js';
import { findAssetsOfMovies } from './movie-asset.repository.js';
import { findMoviesByIds } from './movie.repository.js';

/** The loaders of one request. Built per request so no cached row outlives it or leaks to another user. */
export function createLoaders(db: Kysely<MoviesDatabase>) {
  return {
    movieById: createEntityLoader((ids: readonly number[]) => findMoviesByIds(db, ids), (row) => row.id),
    genresByMovieId: createGroupLoader((ids: readonly number[]) => findGenresOfMovies(db, ids), (row) => row.movie_id),
    assetByMovieId: createEntityLoader((ids: readonly number[]) => findAssetsOfMovies(db, ids), (row) => row.movie_id),
  };
}

export type MoviesLoaders = ReturnType<typeof createLoaders>;
