export { createDatabase, type DatabaseOptions } from './create-database.js';
export { anyOf } from './any-of.js';
export { NotificationListener, type NotificationListenerOptions } from './notification-listener.js';
export { databaseForRequest, QueryCancelledError } from './request-database.js';
