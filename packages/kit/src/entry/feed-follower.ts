/**
 * `@cinema/kit/feed-follower`: following another service's pull feed from a stored cursor (polling, a LISTEN/NOTIFY
 * doorbell, replica failover, signed requests), and its catalogue flavour for the catalogue's consumers.
 */
export { FeedFollower, type FeedDoorbell, type FeedFollowerOptions } from '../feed-follower.js';
export { createCatalogueFollower, type CatalogueFollowerOptions } from '../catalogue-follower.js';
