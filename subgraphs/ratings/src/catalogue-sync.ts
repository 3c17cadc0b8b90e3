import { CATALOGUE_FEED_PATH, FeedFollower, type FeedFollowerOptions } from '@cinema/kit';
import type { Kysely } from 'kysely';
import { applyCatalogueEvents, readCatalogueCursor, type CatalogueEvent } from './catalogue-projection.repository.js';
import type { RatingsDatabase } from './db/database.js';

export type CatalogueSyncOptions = Pick<FeedFollowerOptions<CatalogueEvent>, 'feedUrls' | 'logger' | 'intervalMs' | 'subgraphSecret' | 'doorbell'> & {
  db: Kysely<RatingsDatabase>;
};

/**
 * Keeps the ratings service's genre projection in step with the catalogue by following the movies service's
 * catalogue feed (see `FeedFollower`); genre changes then reach the rankings without reading the movies schema.
 */
export class CatalogueSync extends FeedFollower<CatalogueEvent> {
  constructor({ db, ...options }: CatalogueSyncOptions) {
    super({ ...options, name: 'catalogue', path: CATALOGUE_FEED_PATH, readCursor: () => readCatalogueCursor(db), applyPage: (events) => applyCatalogueEvents(db, events) });
  }
}
