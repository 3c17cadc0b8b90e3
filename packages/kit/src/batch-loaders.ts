import DataLoader from 'dataloader';

/** Tuning shared by a request's loaders. */
export interface LoaderOptions {
  /**
   * Most keys per batch (default: no limit, one statement per tick). `1` turns batching off, which is how the
   * benchmarks measure what batching saves.
   */
  maxBatchSize?: number;
}

/**
 * A per-request loader of entities by key: one call of `fetchMany` per tick, whatever the number of keys, and results
 * back in key order with `null` for missing keys, which is what DataLoader and `__resolveReference` expect.
 */
export function createEntityLoader<K extends string | number, V>(
  fetchMany: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (value: V) => K,
  options: LoaderOptions = {},
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const byKey = new Map<K, V>();
    for (const row of await fetchMany(keys)) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  }, batchOptions(options));
}

/**
 * A per-request loader of one-to-many relations (a movie's cast, a person's films): one call of `fetchMany` for all
 * parents, rows grouped back per parent key in the order `fetchMany` returned them, `[]` when a parent has none.
 */
export function createGroupLoader<K extends string | number, V>(
  fetchMany: (keys: readonly K[]) => Promise<readonly V[]>,
  parentKeyOf: (value: V) => K,
  options: LoaderOptions = {},
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const groups = new Map<K, V[]>();
    for (const row of await fetchMany(keys)) {
      const key = parentKeyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  }, batchOptions(options));
}

function batchOptions<K, V>(options: LoaderOptions): DataLoader.Options<K, V> {
  return options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize };
}
