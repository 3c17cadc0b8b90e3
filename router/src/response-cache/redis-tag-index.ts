import type { RedisConnection } from '@cinema/kit/cache';
import type { Logger } from '@cinema/kit/logging';
import { ALL_ENTRIES_TAG, type TagIndex } from './tag-index.js';

/**
 * Moves the shared clock past both Redis's time and its last value, stamps every tag with it, and refreshes their
 * expiry, atomically. Time-based positions keep the clock moving forward across a Redis restart (a reading taken
 * before the restart can never look newer than an invalidation made after it); `%.0f` keeps 16-digit numbers exact.
 */
const INVALIDATE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local position = string.format('%.0f', math.max(now, current + 1))
redis.call('SET', KEYS[1], position, 'EX', ARGV[1])
for i = 2, #KEYS do redis.call('SET', KEYS[i], position, 'EX', ARGV[1]) end
return position
`;

/** Tag look-ups gathered in one turn of the event loop. */
interface LookupBatch {
  keys: Set<string>;
  lookups: { keys: string[]; resolve: (latest: number | null) => void }[];
}

/** Tags queued while Redis is unreachable before they collapse into one "invalidate everything". */
const MAX_PENDING_TAGS = 10_000;

export interface RedisTagIndexOptions {
  redis: RedisConnection;
  /** Prefix of the index's keys, e.g. `cinema:response:`. */
  prefix: string;
  /** How long a tag's record lives: at least the longest response TTL plus the longest execution. */
  retentionSeconds: number;
  logger: Logger;
}

/**
 * The {@link TagIndex} shared by every router instance through Redis: `<prefix>clock` and one `<prefix>tag:<tag>`
 * string per invalidated tag, each expiring after `retentionSeconds`. Lookups are one MGET.
 *
 * An invalidation that cannot reach Redis is queued and replayed as soon as Redis is back; until then this
 * instance reports itself unavailable, so it cannot serve an entry the lost invalidation should have killed.
 */
export class RedisTagIndex implements TagIndex {
  readonly #redis: RedisConnection;
  /** Look-ups not sent yet, answered together by one MGET (see {@link latest}). */
  #batch: LookupBatch | undefined;
  /** Whether an MGET of look-ups is on its way; the next batch is sent when it returns. */
  #inFlight = false;
  readonly #clockKey: string;
  readonly #tagPrefix: string;
  readonly #retentionSeconds: number;
  readonly #logger: Logger;
  readonly #pending = new Set<string>();
  #flushing: Promise<void> | undefined;

  constructor(options: RedisTagIndexOptions) {
    this.#redis = options.redis;
    this.#clockKey = `${options.prefix}clock`;
    this.#tagPrefix = `${options.prefix}tag:`;
    this.#retentionSeconds = options.retentionSeconds;
    this.#logger = options.logger;
    this.#redis.onReady(() => void this.#flush());
  }

  get available(): boolean {
    if (!this.#redis.ready) return false;
    if (this.#pending.size === 0) return true;
    // Redis answers again but the replay has not succeeded yet (or failed on a flap): try again, stay unavailable.
    void this.#flush();
    return false;
  }

  async snapshot(): Promise<number | null> {
    const value = await this.#redis.run((client) => client.get(this.#clockKey), undefined);
    return value === undefined ? null : Number(value ?? 0);
  }

  /**
   * Look-ups are batched: those made in one turn of the event loop (the hits of every request read in that turn) go
   * to Redis as one MGET of the union of their keys, sent once the turn's I/O callbacks have run (`setImmediate`);
   * and while one MGET is on its way, new look-ups wait for it to return and then go together in the next. One
   * command, one write and one reply to parse for many hits: under load the Redis writes and reads were the largest
   * cost of a hit after the response's own write. Each look-up still reads Redis after its request arrived (its MGET
   * is sent after it joined the batch), so an invalidation finished before that, through any router instance, is
   * always seen.
   */
  latest(tags: readonly string[]): Promise<number | null> {
    const keys = [...tags, ALL_ENTRIES_TAG].map((tag) => this.#tagPrefix + tag);
    let batch = this.#batch;
    if (!batch) {
      batch = this.#batch = { keys: new Set(), lookups: [] };
      if (!this.#inFlight) setImmediate(() => void this.#sendBatch());
    }
    for (const key of keys) batch.keys.add(key);
    return new Promise((resolve) => batch.lookups.push({ keys, resolve }));
  }

  /** Sends the waiting batch, then the one that gathered meanwhile, until none is left. */
  async #sendBatch(): Promise<void> {
    if (this.#inFlight) return;
    this.#inFlight = true;
    try {
      for (let batch = this.#batch; batch; batch = this.#batch) {
        this.#batch = undefined;
        await this.#lookUp(batch);
      }
    } finally {
      this.#inFlight = false;
      // Only reached with a batch left if a look-up threw: the waiting ones still get their MGET.
      if (this.#batch) setImmediate(() => void this.#sendBatch());
    }
  }

  async #lookUp(batch: LookupBatch): Promise<void> {
    const keys = [...batch.keys];
    const values = await this.#redis.run((client) => client.mGet(keys), null);
    if (!values) {
      for (const lookup of batch.lookups) lookup.resolve(null);
      return;
    }
    const positions = new Map<string, number>();
    for (let i = 0; i < keys.length; i++) if (values[i] != null) positions.set(keys[i]!, Number(values[i]));
    for (const lookup of batch.lookups) {
      let latest = 0;
      for (const key of lookup.keys) latest = Math.max(latest, positions.get(key) ?? 0);
      lookup.resolve(latest);
    }
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    if (this.#pending.size > 0 || !(await this.#send(tags))) this.#queue(tags);
  }

  async close(): Promise<void> {
    await this.#flushing;
  }

  async #send(tags: readonly string[]): Promise<boolean> {
    const keys = [this.#clockKey, ...tags.map((tag) => this.#tagPrefix + tag)];
    const done = await this.#redis.run(
      (client) => client.eval(INVALIDATE_SCRIPT, { keys, arguments: [String(this.#retentionSeconds)] }).then(() => true),
      false,
    );
    return done;
  }

  #queue(tags: readonly string[]): void {
    if (this.#pending.has(ALL_ENTRIES_TAG)) return;
    for (const tag of tags) this.#pending.add(tag);
    if (this.#pending.size > MAX_PENDING_TAGS) {
      this.#pending.clear();
      this.#pending.add(ALL_ENTRIES_TAG);
    }
  }

  #flush(): Promise<void> {
    if (this.#flushing || this.#pending.size === 0) return this.#flushing ?? Promise.resolve();
    this.#flushing = (async () => {
      const tags = [...this.#pending];
      if (await this.#send(tags)) {
        for (const tag of tags) this.#pending.delete(tag);
        this.#logger.info({ tags: tags.length }, 'replayed response cache invalidations queued while Redis was unreachable');
      }
    })().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }
}
