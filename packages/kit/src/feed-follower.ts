import type { Logger } from 'pino';
import { SIGNATURE_HEADER, signRequest } from './request-signature.js';

export interface FeedFollowerOptions<E extends { seq: number }> {
  /** What the feed carries, for log lines and errors (`catalogue` → "catalogue feed unavailable"). */
  name: string;
  /** Base URLs of the publishing service's replicas; tried in turn when one fails. */
  feedUrls: readonly string[];
  /** Path of the feed on those replicas, e.g. `CATALOGUE_FEED_PATH`; `after` and `limit` are added to it. */
  path: string;
  /** Events asked for per request; a shorter page means the follower has caught up. */
  pageSize?: number;
  logger: Logger;
  /** Fallback poll period; {@link FeedFollower.wake} (on each notification) brings changes in well before it. */
  intervalMs: number;
  /** `SUBGRAPH_SECRET`: feeds answer signed requests only. */
  subgraphSecret: string;
  /** Where the consumer has read up to (0 before the first event), as it stored it. */
  readCursor(): Promise<number>;
  /**
   * Applies a page and stores the new cursor, in one transaction: events at or below the stored cursor must change
   * nothing, so a replayed page is harmless. Returns how many events were new, or null when another replica is
   * applying (it will catch up for this one).
   */
  applyPage(events: readonly E[]): Promise<number | null>;
  /**
   * Makes the doorbell that rings {@link FeedFollower.wake} on each notification of the publisher (LISTEN/NOTIFY),
   * started and stopped with the follower. Without one the follower only polls (tests drive it with `syncOnce`).
   */
  doorbell?: (ring: () => void) => FeedDoorbell;
}

/** What rings a follower when the feed grew: the follower starts it after its first round is scheduled. */
export interface FeedDoorbell {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Follows a pull feed of another service from a stored cursor, so a consumer keeps its own projection of that
 * service's data without reading its tables: on start-up it catches up on everything it missed while down, then
 * reads again whenever {@link FeedFollower.wake} is called (on each LISTEN/NOTIFY doorbell) and, as a fallback for
 * lost notifications, every `intervalMs`. What a page does to the projection is the consumer's `applyPage`.
 */
export class FeedFollower<E extends { seq: number }> {
  readonly #options: FeedFollowerOptions<E>;
  readonly #pageSize: number;
  readonly #doorbell: FeedDoorbell | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #wakeRequested = false;
  #stopped = false;
  #nextUrl = 0;
  #failing = false;

  constructor(options: FeedFollowerOptions<E>) {
    this.#options = options;
    this.#pageSize = options.pageSize ?? 1000;
    this.#doorbell = options.doorbell?.(() => this.wake());
  }

  /** Starts polling, and listening when there is a doorbell; the first round runs at once. */
  start(): void {
    this.#stopped = false;
    this.#schedule(0);
    this.#doorbell?.start();
  }

  /**
   * Reads the feed now, or right after the round in progress (which may have started before the change committed);
   * calls that arrive during a round are coalesced into one more round.
   */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#wakeRequested = true;
      return;
    }
    this.#schedule(0);
  }

  /** Stops listening and polling, and waits for a round in progress. */
  async stop(): Promise<void> {
    await this.#doorbell?.stop();
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Reads and applies pages until the feed has nothing new; returns how many events were applied. */
  async syncOnce(): Promise<number> {
    let applied = 0;
    for (;;) {
      const events = await this.#fetchPage(await this.#options.readCursor());
      const count = await this.#options.applyPage(events);
      if (count === null) return applied; // another replica is applying; it will catch up for us
      applied += count;
      if (events.length < this.#pageSize) return applied;
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.#round().finally(() => {
        this.#running = undefined;
        const again = this.#wakeRequested;
        this.#wakeRequested = false;
        // While the feed is unreachable (start-up, an outage of the publisher) try again soon: until the projection
        // has caught up, the consumer answers from stale data, which matters more than one refused request every
        // half second.
        const { intervalMs } = this.#options;
        this.#schedule(again ? 0 : this.#failing ? Math.min(intervalMs, 500) : intervalMs);
      });
    }, delayMs);
  }

  async #round(): Promise<void> {
    const { logger, name } = this.#options;
    try {
      const applied = await this.syncOnce();
      if (applied > 0) logger.info({ applied }, `${name} projection updated`);
      if (this.#failing) logger.info(`${name} feed reachable again`);
      this.#failing = false;
    } catch (error) {
      // One line when the feed goes away, not one per poll.
      if (!this.#failing) logger.warn({ err: error }, `${name} feed unavailable; will retry`);
      this.#failing = true;
    }
  }

  async #fetchPage(after: number): Promise<E[]> {
    const { feedUrls, path, subgraphSecret, name } = this.#options;
    let lastError: unknown;
    for (let attempt = 0; attempt < feedUrls.length; attempt++) {
      const base = feedUrls[(this.#nextUrl + attempt) % feedUrls.length]!;
      try {
        const url = new URL(`${base}${path}?after=${after}&limit=${this.#pageSize}`);
        const signature = signRequest(subgraphSecret, { method: 'GET', path: `${url.pathname}${url.search}`, headers: {}, body: null });
        const response = await fetch(url, { headers: { [SIGNATURE_HEADER]: signature }, signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`${name} feed answered ${response.status}`);
        const body = (await response.json()) as { events: E[] };
        this.#nextUrl = (this.#nextUrl + attempt) % feedUrls.length;
        return body.events;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }
}
