/**
 * `@cinema/db`: what a service needs of PostgreSQL at run time: a Kysely database over a pg pool, per-request
 * cancellation, `anyOf` for array parameters, LISTEN/NOTIFY, feed cursors, text search and the health ping. It knows
 * no service's tables, so it sits below the services; migrations, seed and import, which do know them, live above
 * the services in `@cinema/data-tools`.
 */
export { createDatabase } from './create-database.js';
export { anyOf } from './any-of.js';
export { textSearch } from './text-search.js';
export { pingDatabase } from './ping-database.js';
export { NotificationListener } from './notification-listener.js';
export { createFeedDoorbell } from './feed-doorbell.js';
export { applyFeedPage, readFeedCursor, type FeedPageTarget } from './feed-cursor.js';
export { createServiceDatabase } from './service-database.js';
export { databaseForRequest } from './request-database.js';
