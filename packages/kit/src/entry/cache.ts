/** `@cinema/kit/cache`: the shared Redis connection and the entity cache subgraphs keep in it. */
export { RedisConnection } from '../redis-connection.js';
export { EntityCache, type EntityCodec } from '../entity-cache.js';
