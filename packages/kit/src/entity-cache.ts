import type { RedisConnection } from './redis-connection.js';

/** How an entity is written to and read back from Redis (e.g. reviving `Date` columns). */
export interface EntityCodec<V> {
  encode(value: V): string;
  decode(text: string): V;
}

/** Plain JSON, for rows of strings and numbers only. */
const jsonCodec: EntityCodec<never> = { encode: (value) => JSON.stringify(value), decode: (text) => JSON.parse(text) as never };

export interface EntityCacheOptions<V> {
  /** Unset: no Redis configured, every read goes to the database. */
  redis: RedisConnection | undefined;
  /** Key prefix, e.g. `cinema:movies:movie:v1:`; bump the version when the cached shape changes. */
  prefix: string;
  /** How long an entry lives; also the longest a change written outside this service can stay unseen. */
  ttlSeconds: number;
  codec?: EntityCodec<V>;
  /**
   * How long a deleted key refuses write-backs. A read that began before a change may finish after its delete; the
   * tombstone stops it from putting the old row back, which a plain DEL would not.
   */
  tombstoneSeconds?: number;
}

/** Counters since start, for metrics and tests. */
export interface EntityCacheStats {
  hits: number;
  misses: number;
  /** Batches served without Redis because it was unavailable or failed. */
  bypassed: number;
}

const TOMBSTONE = '\u0000deleted';

/**
 * A read-through cache of entities by id in Redis, meant to sit inside a DataLoader batch function.
 *
 * Why: entity lookups by id are most of a subgraph's reads and the rows rarely change. A batch costs one MGET; only
 * the misses go to the database, in one query, and are written back with a TTL in one pipeline. A change deletes the
 * entry (leaving a short tombstone, see {@link EntityCacheOptions.tombstoneSeconds}). Redis being down, slow or
 * absent only means every key is a miss: the database answers as it would without a cache.
 *
 * @example
 * const movies = new EntityCache<number, MovieRow>({ redis, prefix: 'cinema:movies:movie:v1:', ttlSeconds: 300, codec });
 * const loader = createEntityLoader((ids) => movies.readThrough(ids, (missing) => findMoviesByIds(db, missing), (row) => row.id), (row) => row.id);
 * await movies.delete([42]); // after the transaction that changed movie 42 committed
 */
export class EntityCache<K extends string | number, V> {
  readonly stats: EntityCacheStats = { hits: 0, misses: 0, bypassed: 0 };
  readonly #redis: RedisConnection | undefined;
  readonly #prefix: string;
  readonly #ttlSeconds: number;
  readonly #tombstoneSeconds: number;
  readonly #codec: EntityCodec<V>;

  constructor(options: EntityCacheOptions<V>) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#ttlSeconds = options.ttlSeconds;
    this.#tombstoneSeconds = options.tombstoneSeconds ?? 10;
    this.#codec = options.codec ?? jsonCodec;
  }

  /** The Redis key of an entity. */
  keyOf(id: K): string {
    return `${this.#prefix}${id}`;
  }

  /**
   * The entities of `ids` that exist, in no particular order (loaders restore key order): cached ones from Redis,
   * the rest from `fetchMany(missing)`, called once and only when something is missing.
   */
  async readThrough(ids: readonly K[], fetchMany: (missing: readonly K[]) => Promise<readonly V[]>, idOf: (value: V) => K): Promise<V[]> {
    const redis = this.#redis;
    if (!redis || ids.length === 0) return [...(await fetchMany(ids))];
    const cached = await redis.run((client) => client.mGet(ids.map((id) => this.keyOf(id))), null);
    if (!cached) {
      this.stats.bypassed += 1;
      return [...(await fetchMany(ids))];
    }
    const found: V[] = [];
    const missing: K[] = [];
    cached.forEach((text, index) => {
      if (text === null || text === TOMBSTONE) missing.push(ids[index]!);
      else found.push(this.#codec.decode(text));
    });
    this.stats.hits += found.length;
    this.stats.misses += missing.length;
    if (missing.length === 0) return found;
    const fetched = await fetchMany(missing);
    if (fetched.length > 0) {
      // NX: never over a tombstone (a change happened while we read) nor over a fresher write-back.
      const pipeline = redis.client.multi();
      for (const value of fetched) pipeline.set(this.keyOf(idOf(value)), this.#codec.encode(value), { EX: this.#ttlSeconds, NX: true });
      // Not awaited: the response does not wait for the write-back; failures are counted and logged by `run`.
      void redis.run(() => pipeline.execAsPipeline(), null);
    }
    return [...found, ...fetched];
  }

  /**
   * Forgets entities after a change to them committed. Awaited by write paths so the next read, from any replica,
   * goes to the database; fails open like reads (the entry then lives out its TTL).
   */
  async delete(ids: readonly K[]): Promise<void> {
    const redis = this.#redis;
    if (!redis || ids.length === 0) return;
    const pipeline = redis.client.multi();
    for (const id of ids) pipeline.set(this.keyOf(id), TOMBSTONE, { EX: this.#tombstoneSeconds });
    await redis.run(() => pipeline.execAsPipeline(), null);
  }
}
