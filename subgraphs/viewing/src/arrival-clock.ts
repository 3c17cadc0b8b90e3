/**
 * When requests reach this process, in microseconds since the epoch: the wall clock (so replicas on one machine, or
 * on NTP-synchronised machines, agree to within the clocks' skew), made strictly increasing within the process, so
 * two requests arriving in the same millisecond keep their order instead of tying. "Latest" between two players of
 * one user is decided by this reading, not by which database write commits last.
 */
export class ArrivalClock {
  readonly #wallClockMs: () => number;
  #last = 0;

  constructor(wallClockMs: () => number = Date.now) {
    this.#wallClockMs = wallClockMs;
  }

  nowMicros(): number {
    this.#last = Math.max(this.#last + 1, Math.floor(this.#wallClockMs() * 1000));
    return this.#last;
  }
}
