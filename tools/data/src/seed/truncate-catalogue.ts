import { sql } from 'kysely';
import type { MoviesDatabase } from '@cinema/movies-subgraph/database';
import type { PeopleDatabase } from '@cinema/people-subgraph/database';
import type { RatingsDatabase } from '@cinema/ratings-subgraph/database';
import type { ViewingDatabase } from '@cinema/viewing-subgraph/database';
import { createDatabase } from '@cinema/db';

/**
 * The data tables of each schema. Typed against the schemas' interfaces, so a table added to a service fails to
 * compile here until someone decides whether a reload wipes it. `ratings.rating_prior` is configuration, not data,
 * and the migration tables are history: both survive.
 */
export const catalogueDataTables = {
  movies: { movies: true, genres: true, movie_genres: true, catalogue_events: true, movie_assets: true } satisfies Record<keyof MoviesDatabase, true>,
  people: { people: true, credits: true } satisfies Record<keyof PeopleDatabase, true>,
  ratings: {
    users: true,
    // Accounts belong to users, which a reload replaces.
    accounts: true,
    ratings: true,
    movie_rating_stats: true,
    catalogue_movies: true,
    genre_rankings: true,
    feed_cursors: true,
  } satisfies Record<Exclude<keyof RatingsDatabase, 'rating_prior'>, true>,
  // Progress names movies by id, and ids restart with the catalogue; the projection and cursor follow the outbox.
  viewing: { watch_progress: true, catalogue_movies: true, feed_cursors: true } satisfies Record<keyof ViewingDatabase, true>,
};

/**
 * Empties the data tables of every schema and restarts their ids, in one statement and so one transaction:
 * a reload must not leave a half-wiped platform (say, ratings of films that no longer exist). The outbox restarts at
 * 1 too, which is why the projections of the feed (ratings, viewing) and their cursors go with it.
 */
export async function truncateCatalogue(connectionString: string): Promise<void> {
  const tables = Object.entries(catalogueDataTables).flatMap(([schema, names]) => Object.keys(names).map((name) => sql.table(`${schema}.${name}`)));
  const db = createDatabase<unknown>({ connectionString, schema: 'public', poolSize: 1, applicationName: 'cinema-loader' });
  try {
    await sql`truncate table ${sql.join(tables)} restart identity`.execute(db);
  } finally {
    await db.destroy();
  }
}
