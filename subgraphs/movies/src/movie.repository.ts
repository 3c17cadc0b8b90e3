import { anyOf } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { MovieRow, MoviesDatabase } from './db/database.js';

/**
 * The columns of a movie row, named rather than `select *`: the table also holds `search_document`, a tsvector as
 * large as the overview, which only search reads and no response needs.
 */
export const movieColumns = ['id', 'title', 'year', 'overview', 'poster_url', 'wikipedia_slug', 'created_at', 'updated_at'] as const;

export interface MoviePageQuery {
  genreId?: number;
  year?: number;
  /** Keyset: only movies with a larger id. */
  afterId?: number;
  limit: number;
}

/** Movies by id, in no particular order (loaders restore key order). One statement for any number of ids. */
export function findMoviesByIds(db: Kysely<MoviesDatabase>, ids: readonly number[]): Promise<MovieRow[]> {
  return db.selectFrom('movies').select(movieColumns).where('id', '=', anyOf(ids)).execute();
}

/**
 * One page of the catalogue in id order. Keyset pagination (`id > afterId`) keeps pages stable while movies are
 * inserted, and with the genre filter it walks the `(genre_id, movie_id)` index instead of sorting.
 */
export function findMoviePage(db: Kysely<MoviesDatabase>, query: MoviePageQuery): Promise<MovieRow[]> {
  let select = db.selectFrom('movies').select(movieColumns.map((column) => `movies.${column}` as const));
  if (query.genreId !== undefined) {
    const genreId = query.genreId;
    select = select.innerJoin('movie_genres', (join) => join.onRef('movie_genres.movie_id', '=', 'movies.id').on('movie_genres.genre_id', '=', genreId));
  }
  if (query.year !== undefined) select = select.where('movies.year', '=', query.year);
  if (query.afterId !== undefined) select = select.where('movies.id', '>', query.afterId);
  return select.orderBy('movies.id').limit(query.limit).execute();
}
