import { sql, type Kysely, type Transaction } from 'kysely';
import type { RatingsDatabase } from './db/database.js';

/** Namespace of this service's per-movie advisory locks (first key of the two-key form). */
const MOVIE_LOCK_NAMESPACE = 7_201;

/**
 * Serializes every write that touches one movie's statistics or rankings (rating writes, catalogue projection
 * updates) for the rest of the transaction. Ids are locked in ascending order so two writers never deadlock.
 */
export async function lockMovies(trx: Transaction<RatingsDatabase> | Kysely<RatingsDatabase>, movieIds: readonly number[]): Promise<void> {
  const sorted = [...new Set(movieIds)].sort((a, b) => a - b);
  if (sorted.length === 0) return;
  await sql`select pg_advisory_xact_lock(${MOVIE_LOCK_NAMESPACE}, id) from unnest(${sorted}::integer[]) as id order by id`.execute(trx);
}
