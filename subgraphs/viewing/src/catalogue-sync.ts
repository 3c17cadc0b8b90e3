import { CATALOGUE_FEED_PATH, FeedFollower, type FeedFollowerOptions } from '@cinema/kit';
import type { Kysely } from 'kysely';
import { applyCatalogueEvents, readCatalogueCursor, type CatalogueEvent } from './catalogue-projection.repository.js';
import type { ViewingDatabase } from './db/database.js';

export type CatalogueSyncOptions = Pick<FeedFollowerOptions<CatalogueEvent>, 'feedUrls' | 'logger' | 'intervalMs' | 'subgraphSecret' | 'doorbell'> & {
  db: Kysely<ViewingDatabase>;
};

/**
 * Keeps the viewing service's list of existing movies in step with the catalogue by following the movies service's
 * catalogue feed (see `FeedFollower`), so `recordProgress` can answer NOT_FOUND for an unknown movie without reading
 * the movies service's tables or calling it per write.
 */
export class CatalogueSync extends FeedFollower<CatalogueEvent> {
  constructor({ db, ...options }: CatalogueSyncOptions) {
    super({ ...options, name: 'catalogue', path: CATALOGUE_FEED_PATH, readCursor: () => readCatalogueCursor(db), applyPage: (events) => applyCatalogueEvents(db, events) });
  }
}
