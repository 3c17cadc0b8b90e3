import { anyOf } from '@cinema/db';
import { sql, type Kysely } from 'kysely';
import type { ViewingDatabase } from './db/database.js';

/** One catalogue change as the movies service's feed publishes it (`GET /feeds/catalogue`). */
export interface CatalogueEvent {
  seq: number;
  kind: 'movie.upserted' | 'movie.deleted';
  movieId: number;
}

/**
 * Lock key that lets only one viewing replica apply the feed at a time; the others find it taken and skip the round.
 * Advisory locks are database-wide, so it differs from the ratings service's.
 */
const APPLIER_LOCK = 7_401;
export const CATALOGUE_FEED = 'movies.catalogue';

/** Where this service has read the catalogue feed up to (0 before the first event). */
export async function readFeedCursor(db: Kysely<ViewingDatabase>, feed = CATALOGUE_FEED): Promise<number> {
  const row = await db.selectFrom('feed_cursors').select('last_seq').where('feed', '=', feed).executeTakeFirst();
  return row?.last_seq ?? 0;
}

/**
 * Applies a page of catalogue events to the projection (which movies exist) and advances the cursor in one
 * transaction: a crash mid-page replays the page, and replays change nothing because events at or below the stored
 * cursor are dropped. Returns how many events were new, or null when another replica holds the applier lock.
 */
export async function applyCatalogueEvents(db: Kysely<ViewingDatabase>, events: readonly CatalogueEvent[]): Promise<number | null> {
  if (events.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${APPLIER_LOCK}, 0) as ok`.execute(trx);
    if (!rows[0]?.ok) return null;
    const cursor = await readFeedCursor(trx);
    const fresh = events.filter((event) => event.seq > cursor);
    if (fresh.length === 0) return 0;

    // Only the latest event per movie matters within a page.
    const latest = new Map<number, CatalogueEvent>();
    for (const event of fresh) latest.set(event.movieId, event);
    await trx.deleteFrom('catalogue_movies').where('movie_id', '=', anyOf([...latest.keys()])).execute();
    const upserts = [...latest.values()].filter((event) => event.kind === 'movie.upserted');
    for (let i = 0; i < upserts.length; i += 5_000) {
      await trx
        .insertInto('catalogue_movies')
        .values(upserts.slice(i, i + 5_000).map((event) => ({ movie_id: event.movieId, source_seq: event.seq })))
        .execute();
    }
    const lastSeq = fresh.at(-1)!.seq;
    await trx
      .insertInto('feed_cursors')
      .values({ feed: CATALOGUE_FEED, last_seq: lastSeq })
      .onConflict((oc) => oc.column('feed').doUpdateSet({ last_seq: lastSeq, updated_at: sql<Date>`now()` }))
      .execute();
    return fresh.length;
  });
}
