import { anyOf } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { MovieRow, MoviesDatabase } from './db/database.js';

export interface MoviePageQuery {
  genreId?: number;
  year?: number;
  /** Keyset: only movies with a larger id. */
  afterId?: number;
  limit: number;
}

/** Movies by id, in no particular order (loaders restore key order). One statement for any number of ids. */
export function findMoviesByIds(db: Kysely<MoviesDatabase>, ids: readonly number[]): Promise<MovieRow[]> {
  return db.selectFrom('movies').selectAll().where('id', '=', anyOf(ids)).execute();
}

/**
 * One page of the catalogue in id order. Keyset pagination (`id > afterId`) keeps pages stable while movies are
 * inserted, and with the genre filter it walks the `(genre_id, movie_id)` index instead of sorting.
 */
export function findMoviePage(db: Kysely<MoviesDatabase>, query: MoviePageQuery): Promise<MovieRow[]> {
  let select = db.selectFrom('movies').selectAll('movies');
  if (query.genreId !== undefined) {
    const genreId = query.genreId;
    select = select.innerJoin('movie_genres', (join) => join.onRef('movie_genres.movie_id', '=', 'movies.id').on('movie_genres.genre_id', '=', genreId));
  }
  if (query.year !== undefined) select = select.where('movies.year', '=', query.year);
  if (query.afterId !== undefined) select = select.where('movies.id', '>', query.afterId);
  return select.orderBy('movies.id').limit(query.limit).execute();
}
