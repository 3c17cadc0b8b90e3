import { EntityCache, type RedisConnection } from '@cinema/kit/cache';
import type { PersonRow } from './db/database.js';

export interface PersonCacheOptions {
  redis: RedisConnection | undefined;
  /** The deployment's key prefix (`CACHE_KEY_PREFIX`). */
  keyPrefix: string;
  ttlSeconds: number;
}

/**
 * The read-through cache of person rows by id, shared by every request of this process (the per-request loaders
 * batch into it). The version in the key changes with the cached row's shape.
 */
export function createPersonCache({ redis, keyPrefix, ttlSeconds }: PersonCacheOptions): EntityCache<number, PersonRow> {
  return new EntityCache<number, PersonRow>({ redis, prefix: `${keyPrefix}people:person:v1:`, ttlSeconds });
}
