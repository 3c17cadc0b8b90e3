import { readFeedCursor } from '@cinema/db';
import { createCatalogueFollower, type CatalogueFollowerOptions, type FeedFollower } from '@cinema/kit/feed-follower';
import type { Kysely } from 'kysely';
import { applyCatalogueEvents, CATALOGUE_PROJECTION, type CatalogueEvent } from './catalogue-projection.repository.js';
import type { ViewingDatabase } from './db/database.js';

export type CatalogueSync = FeedFollower<CatalogueEvent>;

/**
 * Keeps the viewing service's list of existing movies in step with the catalogue by following the movies service's
 * catalogue feed (see `FeedFollower`), so `recordProgress` can answer NOT_FOUND for an unknown movie without reading
 * the movies service's tables or calling it per write.
 */
export function createCatalogueSync(db: Kysely<ViewingDatabase>, options: CatalogueFollowerOptions): CatalogueSync {
  return createCatalogueFollower(options, {
    readCursor: () => readFeedCursor(db, CATALOGUE_PROJECTION.feed),
    applyPage: (events) => applyCatalogueEvents(db, events),
  });
}
