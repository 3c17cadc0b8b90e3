import type { Logger } from 'pino';
import { CATALOGUE_FEED_PATH, type CatalogueFeedEvent } from './catalogue-feed.js';
import { FeedFollower, type FeedDoorbell, type FeedFollowerOptions } from './feed-follower.js';

/** What a service that keeps a projection of the catalogue is given to follow the feed (its server options). */
export interface CatalogueFollowerOptions {
  logger: Logger;
  /** `SUBGRAPH_SECRET`: the feed answers requests signed with it only. */
  subgraphSecret: string;
  /** Base URLs of the movies service's replicas (`MOVIES_FEED_URL`), tried in turn when one fails. */
  moviesFeedUrls: readonly string[];
  /** Fallback poll period (`CATALOGUE_SYNC_INTERVAL_MS`); notifications bring changes in well before it. */
  catalogueSyncIntervalMs: number;
  /** Rings the follower on each catalogue notification (`index.ts` LISTENs); without it the follower only polls. */
  catalogueDoorbell?: (ring: () => void) => FeedDoorbell;
}

/**
 * A follower of the movies service's catalogue feed for a consumer's projection: the consumer says where its cursor
 * stands and how a page changes its projection; the follower does the rest (see {@link FeedFollower}).
 */
export function createCatalogueFollower<E extends Pick<CatalogueFeedEvent, 'seq'>>(
  options: CatalogueFollowerOptions,
  projection: Pick<FeedFollowerOptions<E>, 'readCursor' | 'applyPage'>,
): FeedFollower<E> {
  return new FeedFollower<E>({
    name: 'catalogue',
    path: CATALOGUE_FEED_PATH,
    feedUrls: options.moviesFeedUrls,
    intervalMs: options.catalogueSyncIntervalMs,
    logger: options.logger,
    subgraphSecret: options.subgraphSecret,
    ...projection,
    ...(options.catalogueDoorbell ? { doorbell: options.catalogueDoorbell } : {}),
  });
}
