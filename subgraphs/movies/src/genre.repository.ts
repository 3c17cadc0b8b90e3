import { anyOf } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { MoviesDatabase } from './db/database.js';

export interface MovieGenreRow {
  movie_id: number;
  name: string;
}

/** All genre names, alphabetically. */
export async function listGenreNames(db: Kysely<MoviesDatabase>): Promise<string[]> {
  const rows = await db.selectFrom('genres').select('name').orderBy('name').execute();
  return rows.map((row) => row.name);
}

/** The id of a genre by exact name, or undefined. */
export async function findGenreId(db: Kysely<MoviesDatabase>, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('genres').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id;
}

/** Genre names of many movies in one statement, alphabetical within each movie. */
export function findGenresOfMovies(db: Kysely<MoviesDatabase>, movieIds: readonly number[]): Promise<MovieGenreRow[]> {
  return db
    .selectFrom('movie_genres')
    .innerJoin('genres', 'genres.id', 'movie_genres.genre_id')
    .select(['movie_genres.movie_id', 'genres.name'])
    .where('movie_genres.movie_id', '=', anyOf(movieIds))
    .orderBy('movie_genres.movie_id')
    .orderBy('genres.name')
    .execute();
}
