/**
 * Counts the writes (mutations) this router has seen answered. A read records the count when it arrives, and may
 * share only a subgraph fetch sent at that count or later (see `InFlightMerge`): a read that arrives after a write was
 * answered never gets an answer fetched before it, which would show the client data older than its own write and let
 * the response cache store that data as current.
 *
 * Writes made through other router instances are seen through the response cache's invalidation clock (a counter in
 * Redis that every write's invalidation advances, read by each request before it runs): a reading newer than any seen
 * before counts as a write too. Without the response cache, a write through another instance is not seen, and a read
 * merged across it gets what a read sent a few milliseconds earlier would have got.
 */
export class WriteEpoch {
  #count = 0;
  #clock = -Infinity;

  /** The number of writes answered so far. */
  get current(): number {
    return this.#count;
  }

  /** Records that a write was answered (or failed: it may have been applied all the same). */
  advance(): void {
    this.#count += 1;
  }

  /** Records a reading of the response cache's invalidation clock; a newer one means a write happened somewhere. */
  observeInvalidationClock(reading: number | undefined): void {
    if (reading === undefined || reading <= this.#clock) return;
    // The first reading counts too: fetches sent before it cannot be told apart from ones sent before a write.
    this.#count += 1;
    this.#clock = reading;
  }
}
