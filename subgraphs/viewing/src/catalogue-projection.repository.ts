import { anyOf, applyFeedPage, type FeedPageTarget } from '@cinema/db';
import { latestEventPerMovie, type CatalogueFeedEvent } from '@cinema/kit/catalogue-feed';
import type { Kysely } from 'kysely';
import type { ViewingDatabase } from './db/database.js';

/** One catalogue change as the movies service's feed publishes it; this service needs no genres. */
export type CatalogueEvent = Pick<CatalogueFeedEvent, 'seq' | 'kind' | 'movieId'>;

/**
 * The cursor's row in `feed_cursors`, and the lock that lets only one viewing replica apply the feed at a time
 * (advisory locks are database-wide, so it differs from the ratings service's).
 */
export const CATALOGUE_PROJECTION: FeedPageTarget = { feed: 'movies.catalogue', lockKey: 7_401 };

/**
 * Applies a page of catalogue events to the projection (which movies exist) and advances the cursor in one
 * transaction (see `applyFeedPage`: replays change nothing). Returns how many events were new, or null when another
 * replica holds the applier lock.
 */
export function applyCatalogueEvents(db: Kysely<ViewingDatabase>, events: readonly CatalogueEvent[]): Promise<number | null> {
  return applyFeedPage(db, CATALOGUE_PROJECTION, events, async (trx, fresh) => {
    const latest = latestEventPerMovie(fresh);
    await trx
      .deleteFrom('catalogue_movies')
      .where('movie_id', '=', anyOf([...latest.keys()]))
      .execute();
    const upserts = [...latest.values()].filter((event) => event.kind === 'movie.upserted');
    for (let i = 0; i < upserts.length; i += 5_000) {
      await trx
        .insertInto('catalogue_movies')
        .values(upserts.slice(i, i + 5_000).map((event) => ({ movie_id: event.movieId, source_seq: event.seq })))
        .execute();
    }
  });
}
