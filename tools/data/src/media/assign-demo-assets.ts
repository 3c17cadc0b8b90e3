import { sql } from 'kysely';
import type { MoviesDatabase } from '@cinema/movies-subgraph/database';
import { createDatabase } from '@cinema/db';

/**
 * Gives every movie without media one of the demo assets (by id, round robin), so that on a fresh install every
 * movie in the catalogue can play. Movies that already have an asset keep it. Returns how many were assigned.
 */
export async function assignDemoAssets(connectionString: string, assetIds: readonly string[]): Promise<number> {
  if (assetIds.length === 0) return 0;
  const db = createDatabase<MoviesDatabase>({ connectionString, schema: 'movies', poolSize: 1, applicationName: 'assign-demo-assets' });
  try {
    const result = await db
      .insertInto('movie_assets')
      .columns(['movie_id', 'asset_id'])
      .expression((eb) =>
        eb
          .selectFrom('movies')
          .select(['movies.id', sql<string>`(${sql.val([...assetIds])}::text[])[1 + movies.id % ${assetIds.length}]`.as('asset_id')])
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('movie_assets').select('movie_assets.movie_id').whereRef('movie_assets.movie_id', '=', 'movies.id'))),
          ),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  } finally {
    await db.destroy();
  }
}
