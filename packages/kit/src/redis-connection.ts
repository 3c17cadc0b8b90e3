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
  /** After a command times out, how long commands are not even tried (a hung Redis then costs nothing). */
  suspendAfterTimeoutMs?: number;
}

/** An operation in flight, failed by the watchdog once past its deadline. */
interface Deadline {
  readonly at: number;
  expire(): void;
}

/**
 * A Redis connection for caches that fail open.
 *
 * Why: a cache outage must not become an API outage. An operation that has not answered after `commandTimeoutMs`
 * gets its fallback, and for `suspendAfterTimeoutMs` afterwards nothing is sent (a hung Redis costs one timeout, not
 * one per request); while the connection is down, commands are refused at once (no offline queue); node-redis
 * reconnects by itself with a capped back-off, and the cache is used again as soon as it is back. Failures are
 * logged once per interval with a count, not once per request.
 *
 * Deadlines are kept by one watchdog timer rather than node-redis's per-command `timeout`, whose AbortSignal and
 * DOMException per command cost a cache hit about a fifth of its CPU.
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
  readonly #timeoutMs: number;
  readonly #suspendMs: number;
  readonly #deadlines = new Set<Deadline>();
  readonly #watchdog: NodeJS.Timeout;
  readonly #watchdogIntervalMs: number;
  #lastWatchdogRun = Date.now();
  #suspendedUntil = 0;
  readonly #readyListeners: Array<() => void> = [];
  #lastLogAt = 0;
  #suppressed = 0;
  #down = false;
  #closed = false;

  constructor(options: RedisConnectionOptions) {
    this.name = options.name;
    this.#logger = options.logger;
    this.#logIntervalMs = options.logIntervalMs ?? 10_000;
    this.#timeoutMs = options.commandTimeoutMs ?? 100;
    this.#suspendMs = options.suspendAfterTimeoutMs ?? 1_000;
    this.#watchdogIntervalMs = Math.max(5, Math.floor(this.#timeoutMs / 2));
    this.#watchdog = setInterval(() => this.#expire(), this.#watchdogIntervalMs);
    this.#watchdog.unref();
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
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
    return this.client.isReady && !this.#closed && Date.now() >= this.#suspendedUntil;
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
    const pending = operation(this.client);
    let deadline: Deadline | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      deadline = { at: Date.now() + this.#timeoutMs, expire: () => resolve('expired') };
      this.#deadlines.add(deadline);
    });
    try {
      const result = await Promise.race([pending, expired]);
      if (result !== 'expired') return result;
      // The late answer, or its failure, is of no use any more.
      pending.catch(() => undefined);
      this.#suspendedUntil = Date.now() + this.#suspendMs;
      this.#failed(new Error(`Redis did not answer within ${this.#timeoutMs} ms`));
      return fallback;
    } catch (error) {
      this.#failed(error);
      return fallback;
    } finally {
      this.#deadlines.delete(deadline!);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#watchdog);
    if (this.client.isOpen) await this.client.close();
    else this.client.destroy();
  }

  /** Deadlines are added in time order with one timeout for all, so the expired ones are at the front. */
  #expire(): void {
    const now = Date.now();
    const stalled = now - this.#lastWatchdogRun > 2 * this.#watchdogIntervalMs;
    this.#lastWatchdogRun = now;
    // This process was busy (GC, CPU starvation), not Redis: replies that arrived meanwhile are read right after
    // the timers, so give them that chance before calling them late.
    if (stalled) return;
    for (const deadline of this.#deadlines) {
      if (deadline.at > now) return;
      this.#deadlines.delete(deadline);
      deadline.expire();
    }
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
