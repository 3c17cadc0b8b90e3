import type { EntityCache } from '@cinema/kit/cache';
import { createCachedEntityLoader, createGroupLoader, type LoaderOptions } from '@cinema/kit/loaders';
import type { Kysely } from 'kysely';
import { findCreditsOfMovies, findMovieIdsOfPeople } from './credit.repository.js';
import type { PeopleDatabase, PersonRow } from './db/database.js';
import { findPeopleByIds } from './person.repository.js';

export interface PeopleLoaderDependencies {
  /** Read-through cache of person rows; without it every lookup goes to the database. */
  personCache?: EntityCache<number, PersonRow>;
  options?: LoaderOptions;
}

/** The loaders of one request; never shared, so nothing outlives the request. */
export function createLoaders(db: Kysely<PeopleDatabase>, { personCache, options }: PeopleLoaderDependencies = {}) {
  return {
    personById: createCachedEntityLoader(
      (ids: readonly number[]) => findPeopleByIds(db, ids),
      (row) => row.id,
      personCache,
      options,
    ),
    castByMovieId: createGroupLoader(
      (ids: readonly number[]) => findCreditsOfMovies(db, ids, 'cast'),
      (row) => row.movie_id,
      options,
    ),
    directorsByMovieId: createGroupLoader(
      (ids: readonly number[]) => findCreditsOfMovies(db, ids, 'director'),
      (row) => row.movie_id,
      options,
    ),
    movieIdsByPersonId: createGroupLoader(
      (ids: readonly number[]) => findMovieIdsOfPeople(db, ids),
      (row) => row.person_id,
      options,
    ),
  };
}

export type PeopleLoaders = ReturnType<typeof createLoaders>;
