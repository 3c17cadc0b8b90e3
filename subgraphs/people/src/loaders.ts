import { createEntityLoader, createGroupLoader } from '@cinema/kit';
import type { Kysely } from 'kysely';
import { findCreditsOfMovies, findMovieIdsOfPeople } from './credit.repository.js';
import type { PeopleDatabase } from './db/database.js';
import { findPeopleByIds } from './person.repository.js';

/** The loaders of one request; never shared, so nothing outlives the request. */
export function createLoaders(db: Kysely<PeopleDatabase>) {
  return {
    personById: createEntityLoader((ids: readonly number[]) => findPeopleByIds(db, ids), (row) => row.id),
    castByMovieId: createGroupLoader((ids: readonly number[]) => findCreditsOfMovies(db, ids, 'cast'), (row) => row.movie_id),
    directorsByMovieId: createGroupLoader((ids: readonly number[]) => findCreditsOfMovies(db, ids, 'director'), (row) => row.movie_id),
    movieIdsByPersonId: createGroupLoader((ids: readonly number[]) => findMovieIdsOfPeople(db, ids), (row) => row.person_id),
  };
}

export type PeopleLoaders = ReturnType<typeof createLoaders>;
