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

/** One {@link RedisTagIndex.check} waiting for its read. */
interface Lookup {
  tags: readonly string[];
  seq: number;
  validAt: number;
  /** Whether its tags are read too, or only the clock (see {@link RedisTagIndex.check}). */
  withTags: boolean;
  resolve: (validAt: number | false | null) => void;
}

/** Look-ups gathered while the previous read was on its way (or in one turn of the event loop), read by one MGET. */
interface LookupBatch {
  /** Tag keys to read besides the clock: the union of the look-ups that read their tags. */
  keys: Set<string>;
  lookups: Lookup[];
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
 * string per invalidated tag, each expiring after `retentionSeconds`. Checks are one MGET, batched (see {@link check}).
 *
 * An invalidation that cannot reach Redis is queued and replayed as soon as Redis is back; until then this
 * instance reports itself unavailable, so it cannot serve an entry the lost invalidation should have killed.
 */
export class RedisTagIndex implements TagIndex {
  readonly #redis: RedisConnection;
  /** Look-ups not sent yet, answered together by one MGET (see {@link check}). */
  #batch: LookupBatch | undefined;
  /** Whether an MGET of look-ups is on its way; the next batch is sent when it returns. */
  #inFlight = false;
  /** The clock as the last MGET read it: checks of entries known valid as of it read the clock alone. */
  #lastClock = 0;
  /** Each entry's tag keys, built once per tag list rather than on every check. */
  readonly #tagKeys = new WeakMap<readonly string[], string[]>();
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
   * Checks are batched: those made while no MGET is on its way go to Redis as one MGET once the turn's I/O callbacks
   * have run (`setImmediate`), and those made while one is on its way go together in the next, sent when it returns.
   * One command, one write and one reply to parse for many hits: under load the Redis writes and reads were the
   * largest cost of a hit after the response's own write. Each check still reads Redis after it was made (its MGET
   * is sent after it joined the batch), so an invalidation finished before that, through any router instance, is
   * always seen.
   *
   * Every MGET reads the clock, and a check reads its entry's tags only when the clock was last seen past the
   * entry's `validAt`. Any invalidation moves the clock past every earlier reading (the invalidation script runs
   * atomically, as does MGET), so a clock that has not moved past `validAt` proves that none of the entry's tags was
   * invalidated since, and a read-mostly hit costs Redis one key instead of all its tags. A check that read only the
   * clock and finds it moved is sent again with its tags, in the next MGET.
   */
  check(tags: readonly string[], seq: number, validAt: number): Promise<number | false | null> {
    return new Promise((resolve) => this.#enqueue({ tags, seq, validAt, withTags: validAt < this.#lastClock, resolve }));
  }

  #enqueue(lookup: Lookup): void {
    let batch = this.#batch;
    if (!batch) {
      batch = this.#batch = { keys: new Set(), lookups: [] };
      if (!this.#inFlight) setImmediate(this.#sendNext);
    }
    if (lookup.withTags) for (const key of this.#keysOf(lookup.tags)) batch.keys.add(key);
    batch.lookups.push(lookup);
  }

  /** The Redis keys of an entry's tags, with the tag every entry carries. */
  #keysOf(tags: readonly string[]): string[] {
    let keys = this.#tagKeys.get(tags);
    if (!keys) this.#tagKeys.set(tags, (keys = [...tags, ALL_ENTRIES_TAG].map((tag) => this.#tagPrefix + tag)));
    return keys;
  }

  /**
   * Sends the waiting batch; once its reply is in, the batch that gathered meanwhile is sent from the next
   * `setImmediate`, not at once: the reply arrives among other sockets' reads in the same poll phase, and the
   * requests read after it join that batch instead of waiting for one more MGET. Nothing waits longer for it (the
   * Redis client itself writes commands from `setImmediate`), and each look-up is still read by an MGET sent after
   * it joined its batch.
   */
  async #sendBatch(): Promise<void> {
    const batch = this.#batch;
    if (this.#inFlight || !batch) return;
    this.#inFlight = true;
    this.#batch = undefined;
    try {
      await this.#lookUp(batch);
    } finally {
      this.#inFlight = false;
      if (this.#batch) setImmediate(this.#sendNext);
    }
  }

  readonly #sendNext = (): void => void this.#sendBatch();

  async #lookUp(batch: LookupBatch): Promise<void> {
    const keys = [this.#clockKey, ...batch.keys];
    const values = await this.#redis.run((client) => client.mGet(keys), null);
    if (!values) {
      for (const lookup of batch.lookups) lookup.resolve(null);
      return;
    }
    // A clock that expired (no invalidation for the retention period) reads 0: so have all the tags, which expire
    // with it or before it.
    const clock = Number(values[0] ?? 0);
    this.#lastClock = clock;
    const positions = new Map<string, number>();
    for (let i = 1; i < keys.length; i++) if (values[i] != null) positions.set(keys[i]!, Number(values[i]));
    for (const lookup of batch.lookups) {
      if (!lookup.withTags) {
        if (clock <= lookup.validAt) lookup.resolve(lookup.validAt);
        // The clock moved since the entry was found valid: read its tags, after this read.
        else this.#enqueue({ ...lookup, withTags: true });
        continue;
      }
      let latest = 0;
      for (const key of this.#keysOf(lookup.tags)) latest = Math.max(latest, positions.get(key) ?? 0);
      // Tags and clock were read in one MGET: valid as of this clock reading.
      lookup.resolve(latest <= lookup.seq ? clock : false);
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
