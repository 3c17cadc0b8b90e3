import type DataLoader from 'dataloader';
import { createEntityLoader, type LoaderOptions } from './batch-loaders.js';
import type { EntityCache } from './entity-cache.js';

/**
 * A per-request loader of entities by key that reads through the process's entity cache when there is one (Redis
 * configured), else straight from `fetchMany`. Each batch then costs one MGET and one query for the misses only.
 */
export function createCachedEntityLoader<K extends string | number, V>(
  fetchMany: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (value: V) => K,
  cache: EntityCache<K, V> | undefined,
  options: LoaderOptions = {},
): DataLoader<K, V | null> {
  return createEntityLoader((keys: readonly K[]) => (cache ? cache.readThrough(keys, fetchMany, keyOf) : fetchMany(keys)), keyOf, options);
}
