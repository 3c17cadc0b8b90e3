import { CATALOGUE_EVENTS_CHANNEL, type CatalogueEventKind } from '@cinema/kit/catalogue-feed';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CatalogueEventRow, MoviesDatabase } from './db/database.js';

/** Advisory lock that makes outbox writers take turns (see {@link appendCatalogueEvent}). */
const OUTBOX_WRITER_LOCK = 7_101;

export interface NewCatalogueEvent {
  movieId: number;
  kind: CatalogueEventKind;
  genres: readonly string[];
}

/**
 * Appends an event to the outbox inside the caller's transaction and notifies {@link CATALOGUE_EVENTS_CHANNEL},
 * which PostgreSQL delivers only if and when that transaction commits.
 *
 * Writers take turns on an advisory lock held until commit, so sequence numbers become visible in order: without
 * it, event 11 could commit before event 10, a consumer would move its cursor past 10 and never see it. Catalogue
 * edits are rare, so the queue costs nothing that matters.
 */
export async function appendCatalogueEvent(trx: Transaction<MoviesDatabase>, event: NewCatalogueEvent): Promise<number> {
  await sql`select pg_advisory_xact_lock(${OUTBOX_WRITER_LOCK})`.execute(trx);
  const { seq } = await trx
    .insertInto('catalogue_events')
    .values({ movie_id: event.movieId, kind: event.kind, genres: [...event.genres] })
    .returning('seq')
    .executeTakeFirstOrThrow();
  await sql`select pg_notify(${CATALOGUE_EVENTS_CHANNEL}, ${String(seq)})`.execute(trx);
  return seq;
}

/** Outbox events after `afterSeq`, oldest first, at most `limit`. */
export function findCatalogueEventsAfter(db: Kysely<MoviesDatabase>, afterSeq: number, limit: number): Promise<CatalogueEventRow[]> {
  return db.selectFrom('catalogue_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}
