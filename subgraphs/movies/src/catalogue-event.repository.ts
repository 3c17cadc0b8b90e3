import type { Kysely } from 'kysely';
import type { CatalogueEventRow, MoviesDatabase } from './db/database.js';

/** Outbox events after `afterSeq`, oldest first, at most `limit`. */
export function findCatalogueEventsAfter(db: Kysely<MoviesDatabase>, afterSeq: number, limit: number): Promise<CatalogueEventRow[]> {
  return db.selectFrom('catalogue_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}
