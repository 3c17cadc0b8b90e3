/**
 * Coalesces concurrent work on the same key within this process: the first caller (the leader) runs it, callers
 * that arrive while it runs receive the leader's outcome instead of starting their own.
 *
 * Why: when a popular response expires, every request in flight for it misses at once; without this each would run
 * the operation against the subgraphs (a stampede). Whether a waiting caller may use the leader's outcome is the
 * caller's decision ({@link SingleFlight.join} hands it over), because a private answer or one computed before a
 * change the caller must see is not theirs to take.
 */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Promise<T>>();

  /** The outcome of the flight in progress for `key`, if any. */
  join(key: string): Promise<T> | undefined {
    return this.#flights.get(key);
  }

  /**
   * Runs `work` as the flight for `key`, replacing any flight there was (a caller that could not use it). The
   * outcome stays joinable for `lingerMs` after it settles, for callers whose cache lookup was already on its way
   * when the flight landed and so found neither the flight nor the stored entry.
   */
  lead(key: string, work: () => Promise<T>, lingerMs = 0): Promise<T> {
    const flight = work();
    this.#flights.set(key, flight);
    const forget = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    flight.then(() => (lingerMs > 0 ? setTimeout(forget, lingerMs).unref() : forget()), forget);
    return flight;
  }

  /** Flights in progress, for tests and metrics. */
  get size(): number {
    return this.#flights.size;
  }
}
