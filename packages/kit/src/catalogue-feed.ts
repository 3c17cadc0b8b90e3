/**
 * The catalogue feed contract between the movies service (which publishes it) and the services that keep a
 * projection of the catalogue (ratings, viewing). Both sides import it from here so the channel, the path, the event
 * kinds and the payload cannot drift apart; services never import each other's code. Fields are only ever added.
 */

/**
 * The channel consumers LISTEN on to learn that the outbox grew. Channel names are database-wide, so a consumer
 * needs no access to the movies schema; the notification only rings the bell, the feed stays the data path.
 */
export const CATALOGUE_EVENTS_CHANNEL = 'catalogue_events';

/** `GET <movies>/feeds/catalogue?after=<seq>&limit=<n>`, answered to requests signed with `SUBGRAPH_SECRET` only. */
export const CATALOGUE_FEED_PATH = '/feeds/catalogue';

/** Page size the feed serves when the consumer names none, and the most it serves. */
export const CATALOGUE_FEED_DEFAULT_LIMIT = 500;
export const CATALOGUE_FEED_MAX_LIMIT = 5000;

/** What happened to a movie; consumers ignore kinds they do not know, so new kinds can be added. */
export type CatalogueEventKind = 'movie.upserted' | 'movie.deleted';

/** One event on the feed: the movie's state after the change (its genres, for an upsert). */
export interface CatalogueFeedEvent {
  seq: number;
  kind: CatalogueEventKind;
  movieId: number;
  genres: string[];
}

/** One answer of the feed: events after the asked `seq`, oldest first, and the last `seq` it holds. */
export interface CatalogueFeedPage {
  events: CatalogueFeedEvent[];
  lastSeq: number;
}

/**
 * The last event of each movie in a page, in feed order of those last events. Each event carries the movie's whole
 * state, so a projection only needs the latest one per movie.
 */
export function latestEventPerMovie<E extends Pick<CatalogueFeedEvent, 'movieId'>>(events: readonly E[]): Map<number, E> {
  const latest = new Map<number, E>();
  for (const event of events) latest.set(event.movieId, event);
  return latest;
}
