import { anyOf } from '@cinema/db';
import { sql, type Kysely } from 'kysely';
import type { RatingsDatabase } from './db/database.js';
import { lockMovies } from './movie-lock.js';

/** One catalogue change as the movies service's feed publishes it. */
export interface CatalogueEvent {
  seq: number;
  kind: 'movie.upserted' | 'movie.deleted';
  movieId: number;
  genres: string[];
}

/** Lock key that lets only one replica apply the feed at a time; the others find it taken and skip the round. */
const APPLIER_LOCK = 7_202;
export const CATALOGUE_FEED = 'movies.catalogue';

/** Where this service has read the catalogue feed up to (0 before the first event). */
export async function readFeedCursor(db: Kysely<RatingsDatabase>, feed = CATALOGUE_FEED): Promise<number> {
  const row = await db.selectFrom('feed_cursors').select('last_seq').where('feed', '=', feed).executeTakeFirst();
  return row?.last_seq ?? 0;
}

/**
 * Applies a page of catalogue events to the projection (movie → genres) and the genre rankings, and advances the
 * cursor, all in one transaction: a crash mid-page replays the page, and replays change nothing because events at
 * or below the stored cursor are dropped. Returns how many events were new, or null when another replica holds
 * the applier lock.
 */
export async function applyCatalogueEvents(db: Kysely<RatingsDatabase>, events: readonly CatalogueEvent[]): Promise<number | null> {
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
    const movieIds = [...latest.keys()];
    const upserts = [...latest.values()].filter((event) => event.kind === 'movie.upserted');
    await lockMovies(trx, movieIds);

    await trx.deleteFrom('genre_rankings').where('movie_id', '=', anyOf(movieIds)).execute();
    await trx.deleteFrom('catalogue_movies').where('movie_id', '=', anyOf(movieIds)).execute();
    if (upserts.length > 0) {
      await trx
        .insertInto('catalogue_movies')
        .values(upserts.map((event) => ({ movie_id: event.movieId, genres: event.genres, source_seq: event.seq })))
        .execute();
      const stats = await trx
        .selectFrom('movie_rating_stats')
        .select(['movie_id', 'weighted_score', 'rating_count'])
        .where('movie_id', '=', anyOf(upserts.map((event) => event.movieId)))
        .execute();
      const statsByMovie = new Map(stats.map((row) => [row.movie_id, row]));
      const prior = await trx.selectNoFrom(sql<number>`weighted_score(0, 0)`.as('score')).executeTakeFirstOrThrow();
      const rankings = upserts.flatMap((event) =>
        [...new Set(event.genres)].map((genre) => ({
          genre,
          movie_id: event.movieId,
          weighted_score: statsByMovie.get(event.movieId)?.weighted_score ?? prior.score,
          rating_count: statsByMovie.get(event.movieId)?.rating_count ?? 0,
        })),
      );
      for (let i = 0; i < rankings.length; i += 5_000) await trx.insertInto('genre_rankings').values(rankings.slice(i, i + 5_000)).execute();
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
