import { sql, type Kysely } from 'kysely';
import type { RatingsDatabase } from '../../../subgraphs/ratings/src/db/database.js';
import type { CatalogueRating } from './catalogue-data.js';
import { insertInBatches } from './insert-in-batches.js';

/**
 * Writes users and ratings, then rebuilds the statistics with the schema's own `recompute_statistics()` in the same
 * transaction: the service reads averages and rankings, never recomputes them, so they must be right the moment the
 * ratings become visible. The catalogue projection and its feed cursor are the ratings service's to fill.
 */
export async function writeRatingsSchema(
  db: Kysely<RatingsDatabase>,
  userIds: readonly string[],
  ratings: readonly CatalogueRating[],
  onProgress: (line: string) => void,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const users = userIds.map((id) => ({ id }));
    await insertInBatches({ label: 'users', rows: users, onProgress, insert: (batch) => trx.insertInto('users').values(batch).execute() });
    const rows = ratings.map((rating) => ({ user_id: rating.userId, movie_id: rating.movieId, score: rating.score }));
    await insertInBatches({ label: 'ratings', rows, onProgress, insert: (batch) => trx.insertInto('ratings').values(batch).execute() });
    await sql`select recompute_statistics()`.execute(trx);
    onProgress('rating statistics recomputed');
  });
}
