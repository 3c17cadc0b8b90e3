/** Work that can be given up on: its outcome, and a way to abort it. */
export interface AbortableCall<T> {
  readonly answer: Promise<T>;
  abort(reason: Error): void;
}

/** The error a caller gets when its own signal aborts while it waits (the client left). */
export class CallerGoneError extends Error {
  readonly code = 'CALLER_GONE';
  constructor() {
    super('the caller gave up on the request');
    this.name = 'CallerGoneError';
  }
}

interface Flight<T> {
  call: AbortableCall<T>;
  /** The write epoch it was sent in: only callers that arrived in it or earlier may join it. */
  epoch: number;
  /** Callers that may still give up; the call is aborted when the last of them does. */
  abortable: number;
  /** A caller without a signal never gives up, so the call is never aborted for want of callers. */
  pinned: boolean;
}

/**
 * Merges identical requests in flight: a request whose key matches one already on its way waits for that one's
 * outcome instead of being sent again. Identical deep queries arriving together then cost the subgraphs one set of
 * fetches. The key must hold everything the answer depends on (the caller's identity, the exact body), and only
 * requests that may be shared belong here (queries, never mutations). Nothing is kept once the request is answered:
 * this is not a cache.
 *
 * Each caller may bring an `AbortSignal` (its client left): it stops waiting at once, and the shared request is
 * aborted only when no caller is left waiting for it.
 *
 * A caller says in which write epoch its own request arrived (see `WriteEpoch`), and joins only a request sent in that
 * epoch or a later one. Otherwise a read made after a write had been answered could share a fetch sent before the
 * write, and get (and let the response cache store as current) the data the write replaced. Between writes, merging
 * is as wide as it can be.
 */
export class InFlightMerge<T> {
  private readonly flights = new Map<string, Flight<T>>();
  /** Requests that joined one in flight instead of being sent. */
  merged = 0;

  /** `epoch` reads the current write epoch (constant 0 where writes need not separate reads). */
  constructor(private readonly epoch: () => number = () => 0) {}

  /** Sends `start()` or joins an identical request (same `key`) sent in write epoch `arrivedIn` or later. */
  run(key: string, signal: AbortSignal | undefined, start: () => AbortableCall<T>, arrivedIn = 0): Promise<T> {
    let flight = this.flights.get(key);
    if (flight && flight.epoch >= arrivedIn) {
      this.merged += 1;
    } else {
      const created: Flight<T> = { call: start(), epoch: this.epoch(), abortable: 0, pinned: false };
      flight = created;
      this.flights.set(key, created);
      const forget = () => {
        if (this.flights.get(key) === created) this.flights.delete(key);
      };
      created.call.answer.then(forget, forget);
    }
    return waitFor(flight, signal, () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    });
  }

  /** Requests in flight, for tests. */
  get size(): number {
    return this.flights.size;
  }
}

/** Sends a request that is never merged, still abandoned when its caller gives up. */
export function runAlone<T>(signal: AbortSignal | undefined, call: AbortableCall<T>): Promise<T> {
  return waitFor({ call, epoch: 0, abortable: 0, pinned: false }, signal, () => {});
}

function waitFor<T>(flight: Flight<T>, signal: AbortSignal | undefined, abandoned: () => void): Promise<T> {
  if (!signal) {
    flight.pinned = true;
    return flight.call.answer;
  }
  if (signal.aborted) {
    giveUp(flight, abandoned);
    return Promise.reject(new CallerGoneError());
  }
  flight.abortable += 1;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      flight.abortable -= 1;
      giveUp(flight, abandoned);
      reject(new CallerGoneError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    flight.call.answer.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function giveUp<T>(flight: Flight<T>, abandoned: () => void): void {
  if (flight.pinned || flight.abortable > 0) return;
  abandoned();
  flight.call.abort(new CallerGoneError());
  // Nobody waits for it any more; its rejection must not surface as unhandled.
  flight.call.answer.catch(() => {});
}
