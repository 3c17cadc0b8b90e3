import { readFeedCursor } from '@cinema/db';
import { createCatalogueFollower, type CatalogueFollowerOptions, type FeedFollower } from '@cinema/kit/feed-follower';
import type { Kysely } from 'kysely';
import { applyCatalogueEvents, CATALOGUE_PROJECTION, type CatalogueEvent } from './catalogue-projection.repository.js';
import type { RatingsDatabase } from './db/database.js';

export type CatalogueSync = FeedFollower<CatalogueEvent>;

/**
 * Keeps the ratings service's genre projection in step with the catalogue by following the movies service's
 * catalogue feed (see `FeedFollower`); genre changes then reach the rankings without reading the movies schema.
 */
export function createCatalogueSync(db: Kysely<RatingsDatabase>, options: CatalogueFollowerOptions): CatalogueSync {
  return createCatalogueFollower(options, {
    readCursor: () => readFeedCursor(db, CATALOGUE_PROJECTION.feed),
    applyPage: (events) => applyCatalogueEvents(db, events),
  });
}
