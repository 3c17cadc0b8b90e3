import { createClient } from '@redis/client';
import type { Logger } from 'pino';

/** The node-redis client type this platform uses (RESP2, no modules). */
export type RedisClient = ReturnType<typeof createClient>;

export interface RedisConnectionOptions {
  url: string;
  logger: Logger;
  /** What the connection serves, in log lines (`response-cache`, `entity-cache`). */
  name: string;
  /**
   * Longest wait for one command. Caches are an optimisation: a Redis that answers slowly must cost a request a few
   * milliseconds at most, never the request itself.
   */
  commandTimeoutMs?: number;
  /** Longest wait for a (re)connection attempt. */
  connectTimeoutMs?: number;
  /** At most one "Redis unavailable" log line per interval, however many requests fail open meanwhile. */
  logIntervalMs?: number;
}

/**
 * A Redis connection for caches that fail open.
 *
 * Why: a cache outage must not become an API outage. Commands time out after `commandTimeoutMs`; while the
 * connection is down, commands are refused at once (no offline queue) and {@link run} answers the caller's
 * fallback without touching the network; node-redis reconnects by itself with a capped back-off, and the cache is
 * used again as soon as it is back. Failures are logged once per interval with a count, not once per request.
 *
 * @example
 * const redis = new RedisConnection({ url: config.REDIS_URL, logger, name: 'entity-cache' });
 * redis.connect();
 * const values = await redis.run((client) => client.mGet(keys), null); // null: Redis unavailable, go to the database
 */
export class RedisConnection {
  readonly client: RedisClient;
  readonly name: string;
  /** Commands that failed or were refused because Redis was unavailable, since start. */
  failures = 0;
  readonly #logger: Logger;
  readonly #logIntervalMs: number;
  readonly #readyListeners: Array<() => void> = [];
  #lastLogAt = 0;
  #suppressed = 0;
  #down = false;
  #closed = false;

  constructor(options: RedisConnectionOptions) {
    this.name = options.name;
    this.#logger = options.logger;
    this.#logIntervalMs = options.logIntervalMs ?? 10_000;
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      commandOptions: { timeout: options.commandTimeoutMs ?? 100 },
      socket: {
        connectTimeout: options.connectTimeoutMs ?? 1_000,
        // Quick first retries so a Redis restart costs a second or so of caching, then at most one attempt a second.
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
      },
    });
    // Without a listener node-redis would crash the process on the first connection error.
    this.client.on('error', (error: Error) => this.#failed(error));
    this.client.on('ready', () => {
      if (this.#down) this.#logger.info({ cache: this.name }, 'Redis reachable again; cache back in use');
      this.#down = false;
      this.#suppressed = 0;
      for (const listener of this.#readyListeners) listener();
    });
  }

  /** Starts connecting in the background; until it succeeds, {@link run} answers fallbacks. */
  connect(): void {
    this.client.connect().catch((error: unknown) => this.#failed(error));
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return this.client.isReady && !this.#closed;
  }

  /** Calls `listener` each time the connection becomes ready (first connection and every reconnection). */
  onReady(listener: () => void): void {
    this.#readyListeners.push(listener);
  }

  /**
   * Runs `operation` against Redis, or answers `fallback` when Redis is unavailable, too slow or failing: the
   * caller carries on without the cache.
   */
  async run<T, F>(operation: (client: RedisClient) => Promise<T>, fallback: F): Promise<T | F> {
    if (!this.ready) {
      this.failures += 1;
      this.#note();
      return fallback;
    }
    try {
      return await operation(this.client);
    } catch (error) {
      this.#failed(error);
      return fallback;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.client.isOpen) await this.client.close();
    else this.client.destroy();
  }

  #failed(error: unknown): void {
    this.failures += 1;
    this.#note(error);
  }

  #note(error?: unknown): void {
    if (this.#closed) return;
    const now = Date.now();
    if (now - this.#lastLogAt < this.#logIntervalMs) {
      this.#suppressed += 1;
      return;
    }
    this.#logger.warn(
      { cache: this.name, err: error, failedSinceLastLog: this.#suppressed },
      'Redis unavailable; serving without the cache (fail open) until it is back',
    );
    this.#down = true;
    this.#lastLogAt = now;
    this.#suppressed = 0;
  }
}
