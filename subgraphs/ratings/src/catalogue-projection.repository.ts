import { anyOf, applyFeedPage, type FeedPageTarget } from '@cinema/db';
import { latestEventPerMovie, type CatalogueFeedEvent } from '@cinema/kit/catalogue-feed';
import { sql, type Kysely } from 'kysely';
import type { RatingsDatabase } from './db/database.js';
import { lockMovies } from './movie-lock.js';

/** One catalogue change as the movies service's feed publishes it. */
export type CatalogueEvent = CatalogueFeedEvent;

/** The cursor's row in `feed_cursors`, and the lock that lets only one ratings replica apply the feed at a time. */
export const CATALOGUE_PROJECTION: FeedPageTarget = { feed: 'movies.catalogue', lockKey: 7_202 };

/**
 * Applies a page of catalogue events to the projection (movie → genres) and the genre rankings, and advances the
 * cursor, all in one transaction (see `applyFeedPage`: replays change nothing). Returns how many events were new,
 * or null when another replica holds the applier lock.
 */
export function applyCatalogueEvents(db: Kysely<RatingsDatabase>, events: readonly CatalogueEvent[]): Promise<number | null> {
  return applyFeedPage(db, CATALOGUE_PROJECTION, events, async (trx, fresh) => {
    const latest = latestEventPerMovie(fresh);
    const upserts = [...latest.values()].filter((event) => event.kind === 'movie.upserted');
    const movieIds = [...latest.keys()];
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
      for (let i = 0; i < rankings.length; i += 5_000)
        await trx
          .insertInto('genre_rankings')
          .values(rankings.slice(i, i + 5_000))
          .execute();
    }
  });
}
