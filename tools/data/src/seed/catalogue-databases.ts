import type { Kysely } from 'kysely';
import type { MoviesDatabase } from '@cinema/movies-subgraph/database';
import type { PeopleDatabase } from '@cinema/people-subgraph/database';
import type { RatingsDatabase } from '@cinema/ratings-subgraph/database';
import { createDatabase } from '@cinema/db';

/** One connection per service schema, each bound to its schema like the service itself. */
export interface CatalogueDatabases {
  movies: Kysely<MoviesDatabase>;
  people: Kysely<PeopleDatabase>;
  ratings: Kysely<RatingsDatabase>;
  destroy(): Promise<void>;
}

/**
 * Opens the three schemas the loaders write. Each goes through its own search path, as the services do, so a loader
 * query can never reach into the wrong schema by accident.
 */
export function openCatalogueDatabases(connectionString: string, applicationName: string): CatalogueDatabases {
  const options = { connectionString, poolSize: 1, applicationName };
  const movies = createDatabase<MoviesDatabase>({ ...options, schema: 'movies' });
  const people = createDatabase<PeopleDatabase>({ ...options, schema: 'people' });
  const ratings = createDatabase<RatingsDatabase>({ ...options, schema: 'ratings' });
  return {
    movies,
    people,
    ratings,
    destroy: async () => {
      await Promise.all([movies.destroy(), people.destroy(), ratings.destroy()]);
    },
  };
}
