import { LRUCache } from 'lru-cache';

/**
 * A bounded in-process store with Keyv's Map-like contract (`set(key, value, ttlMs)`), for the router without Redis:
 * at most `maxEntries` responses, the least recently used dropped first, each also dropped at its TTL.
 */
export class LruStore {
  readonly #cache: LRUCache<string, string>;

  constructor(maxEntries: number) {
    this.#cache = new LRUCache<string, string>({ max: maxEntries });
  }

  get(key: string): string | undefined {
    return this.#cache.get(key);
  }

  set(key: string, value: string, ttlMs?: number): this {
    this.#cache.set(key, value, ttlMs ? { ttl: ttlMs } : {});
    return this;
  }

  delete(key: string): boolean {
    return this.#cache.delete(key);
  }

  clear(): void {
    this.#cache.clear();
  }
}
