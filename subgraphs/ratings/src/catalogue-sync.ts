import type { Logger } from '@cinema/kit/logging';
import { SIGNATURE_HEADER, signRequest } from '@cinema/kit/signing';
import type { Kysely } from 'kysely';
import { applyCatalogueEvents, readFeedCursor, type CatalogueEvent } from './catalogue-projection.repository.js';
import type { RatingsDatabase } from './db/database.js';

const PAGE_SIZE = 1000;

/**
 * The channel the movies service notifies on each outbox write (a contract with it, like the feed's path). It only
 * rings the bell: what changed is still read from the feed, from the stored cursor.
 */
export const CATALOGUE_EVENTS_CHANNEL = 'catalogue_events';

export interface CatalogueSyncOptions {
  db: Kysely<RatingsDatabase>;
  /** Base URLs of movies service replicas; tried in turn when one fails. */
  feedUrls: readonly string[];
  logger: Logger;
  /** Fallback poll period; notifications ({@link CatalogueSync.wake}) bring changes in well before it. */
  intervalMs: number;
  /** `SUBGRAPH_SECRET`: the feed answers signed requests only. */
  subgraphSecret: string;
}

/**
 * Keeps the ratings service's genre projection in step with the catalogue by pulling the movies service's
 * outbox feed from the stored cursor: on start-up it catches up on everything it missed while down, then reads
 * again whenever {@link CatalogueSync.wake} is called (on each catalogue notification) and, as a fallback for lost
 * notifications, every `intervalMs`.
 */
export class CatalogueSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeRequested = false;
  private stopped = false;
  private nextUrl = 0;
  private failing = false;

  constructor(private readonly options: CatalogueSyncOptions) {}

  /** Starts polling; the first round runs at once. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Reads the feed now, or right after the round in progress (which may have started before the change committed);
   * calls that arrive during a round are coalesced into one more round.
   */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops polling and waits for a round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Reads and applies pages until the feed has nothing new; returns how many events were applied. */
  async syncOnce(): Promise<number> {
    let applied = 0;
    for (;;) {
      const after = await readFeedCursor(this.options.db);
      const events = await this.fetchPage(after);
      const count = await applyCatalogueEvents(this.options.db, events);
      if (count === null) return applied; // another replica is applying; it will catch up for us
      applied += count;
      if (events.length < PAGE_SIZE) return applied;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = undefined;
        const again = this.wakeRequested;
        this.wakeRequested = false;
        // While the feed is unreachable (start-up, a movies outage) try again soon: catching up matters more than the
        // cost of one refused request every half second.
        this.schedule(again ? 0 : this.failing ? Math.min(this.options.intervalMs, 500) : this.options.intervalMs);
      });
    }, delayMs);
  }

  private async round(): Promise<void> {
    try {
      const applied = await this.syncOnce();
      if (applied > 0) this.options.logger.info({ applied }, 'catalogue projection updated');
      if (this.failing) this.options.logger.info('catalogue feed reachable again');
      this.failing = false;
    } catch (error) {
      // One line when the feed goes away, not one per poll.
      if (!this.failing) this.options.logger.warn({ err: error }, 'catalogue feed unavailable; will retry');
      this.failing = true;
    }
  }

  private async fetchPage(after: number): Promise<CatalogueEvent[]> {
    const { feedUrls } = this.options;
    let lastError: unknown;
    for (let attempt = 0; attempt < feedUrls.length; attempt++) {
      const base = feedUrls[(this.nextUrl + attempt) % feedUrls.length]!;
      try {
        const url = new URL(`${base}/feeds/catalogue?after=${after}&limit=${PAGE_SIZE}`);
        const signature = signRequest(this.options.subgraphSecret, { method: 'GET', path: `${url.pathname}${url.search}`, headers: {}, body: null });
        const response = await fetch(url, { headers: { [SIGNATURE_HEADER]: signature }, signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`catalogue feed answered ${response.status}`);
        const body = (await response.json()) as { events: CatalogueEvent[] };
        this.nextUrl = (this.nextUrl + attempt) % feedUrls.length;
        return body.events;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }
}
