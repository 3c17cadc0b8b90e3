import Keyv, { type Deserialize, type KeyvStoreAdapter, type Serialize } from 'keyv';
import type { RedisConnection } from '@cinema/kit/cache';
import type { LruStore } from './lru-store.js';

/** A cached response as stored: the exact bytes sent the first time, and what decides whether they may be reused. */
export interface CachedResponse {
  body: string;
  contentType: string;
  scope: 'PUBLIC' | 'PRIVATE';
  /** The response's max-age in seconds, from the subgraphs' cache hints (capped by configuration). */
  maxAge: number;
  /** When it was stored (ms since the epoch), for the `age` header. */
  storedAt: number;
  /** The tag clock read before the operation ran (see TagIndex). */
  seq: number;
  /** Entities the response contains, e.g. `Movie:42`. */
  tags: string[];
}

/**
 * Entries as `<metadata JSON>\n<body>`: the body is already JSON text, and storing it beside the metadata rather
 * than inside it spares escaping and re-parsing every byte of it on each hit.
 */
const serialize: Serialize = (data) => {
  const { body, ...meta } = data.value as CachedResponse;
  return `${JSON.stringify({ ...meta, expires: data.expires ?? null })}\n${body}`;
};

const deserialize: Deserialize = <Value>(text: string) => {
  const newline = text.indexOf('\n');
  const { expires, ...meta } = JSON.parse(text.slice(0, newline)) as Omit<CachedResponse, 'body'> & { expires: number | null };
  const value: CachedResponse = { ...meta, body: text.slice(newline + 1) };
  return { value: value as Value, ...(expires === null ? {} : { expires }) };
};

/**
 * Where responses live: a Keyv over `@keyv/redis` (shared by router instances) or over an in-process LRU. Keys are
 * used as given (the caller prefixes them); store errors are thrown so the caller can fail open and count them.
 */
export class ResponseStore {
  readonly #keyv: Keyv<CachedResponse>;
  readonly #guard: StoreGuard;

  /**
   * @param guard bounds every store operation; over Redis it must, because a command sent to a Redis host that went
   * silent (packets dropped, no reset) would otherwise wait for TCP to give up, minutes later, and the request with it.
   */
  constructor(store: KeyvStoreAdapter | LruStore, guard: StoreGuard = (operation) => operation()) {
    this.#keyv = new Keyv<CachedResponse>({ store, useKeyPrefix: false, throwOnErrors: true, serialize, deserialize });
    this.#keyv.namespace = undefined;
    this.#guard = guard;
  }

  /** The entries under `keys`, in order, undefined where there is none (or it expired). */
  getMany(keys: string[]): Promise<Array<CachedResponse | undefined>> {
    return this.#guard(() => this.#keyv.getMany(keys));
  }

  async set(key: string, entry: CachedResponse, ttlMs: number): Promise<void> {
    await this.#guard(() => this.#keyv.set(key, entry, ttlMs));
  }
}

/** Runs a store operation under a deadline, throwing when it is missed (the caller then goes on without the cache). */
export type StoreGuard = <T>(operation: () => Promise<T>) => Promise<T>;

/**
 * The guard of a store on `connection`'s client: its command deadline (REDIS_COMMAND_TIMEOUT_MS) and suspension, as
 * for every other Redis command, so a silent Redis costs a lookup that long, never the request.
 */
export function deadlineOf(connection: RedisConnection): StoreGuard {
  return async <T>(operation: () => Promise<T>): Promise<T> => {
    const outcome = await connection.run(async () => ({ value: await operation() }), null);
    if (!outcome) throw new Error('Redis unavailable or too slow for the response store');
    return outcome.value;
  };
}
