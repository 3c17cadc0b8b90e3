import type { ReplicaCall } from './send-to-replica.js';

/** How many large requests one replica works on at once; see {@link HeavyRequestGate}. */
export interface HeavyRequestLimit {
  /** A request body of at least this many bytes is heavy (a large `_entities` fetch: about 35 bytes a representation). */
  minBytes: number;
  /** Heavy requests a replica is sent at once; further ones wait in the router, in order. */
  perReplica: number;
}

/**
 * The router's defaults (README, "Configuration"). 16 KB is about 450 representations: Q1's fetches (a few hundred
 * bytes) never wait; Q2's two fetches of 3,500 representations (120 KB each) do. Two at once: measured on the
 * ratings subgraph, one 3,500-representation `_entities` request cost 36 ms of CPU when the subgraph had it alone,
 * 62 ms with 4 of them at once and 82 ms with 16 (garbage collection grew from a third to half of its CPU, the live
 * heap of many half-done requests being copied and promoted), and answered no sooner overall. Two keep one request's
 * SQL wait overlapped with another's CPU.
 */
export const DEFAULT_HEAVY_REQUEST_LIMIT: HeavyRequestLimit = { minBytes: 16_384, perReplica: 2 };

interface Waiting {
  start(): void;
}

/**
 * Sends a request. `done` frees its heavy slot early: called when the answer starts to arrive, since by then the
 * replica has done its work, and reading a large answer in a busy router must not keep the next request waiting.
 */
export type SendRequest = (done: () => void) => ReplicaCall;

/** A call through the gate: `waiting` while it has not been sent yet (it cannot be the replica's fault then). */
export interface GatedCall extends ReplicaCall {
  readonly waiting: boolean;
}

/**
 * Bounds the heavy requests in flight to one replica; light ones always go at once. A Node subgraph serves the
 * requests it is sent concurrently on one thread, so sending it sixteen large fetches at once does not answer any of
 * them sooner than sending them two at a time: it holds all sixteen half-built in memory, and the garbage collector
 * copies and promotes them again and again, so each costs up to twice the CPU (see
 * {@link DEFAULT_HEAVY_REQUEST_LIMIT}). The queue is in the router instead, where a waiting request costs nothing,
 * and an identical query arriving meanwhile still joins it (the in-flight merge sees it as in flight), so under load
 * more identical fetches are shared.
 *
 * A waiting request given up on (client gone, deadline, the other attempt won) leaves the queue without being sent.
 */
export class HeavyRequestGate {
  private running = 0;
  private readonly queue: Waiting[] = [];

  constructor(private readonly limit: HeavyRequestLimit) {}

  /** Whether a request with this body waits for a turn. */
  isHeavy(body: string | Buffer | null | undefined): boolean {
    if (body == null || this.limit.perReplica <= 0) return false;
    // A string's length counts UTF-16 units, a lower bound of its bytes: close enough for a threshold.
    return body.length >= this.limit.minBytes;
  }

  /** Heavy requests sent and not yet answered. */
  get inFlight(): number {
    return this.running;
  }

  /** Heavy requests waiting for a turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Sends `send()` now if it is light or a heavy slot is free, otherwise when one frees up (a slot frees when the
   * answer starts to arrive, or the call ends). The returned call behaves like the one `send` makes, and can be
   * aborted while it waits.
   */
  run(heavy: boolean, send: SendRequest): GatedCall {
    if (!heavy) return sentAlready(send(() => {}));
    if (this.running < this.limit.perReplica) return this.sendCounted(send);
    return this.enqueue(send);
  }

  private sendCounted(send: SendRequest): GatedCall {
    this.running += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.next();
    };
    let call: ReplicaCall;
    try {
      call = send(release);
    } catch (error) {
      release();
      throw error;
    }
    call.answer.then(release, release);
    return {
      answer: call.answer,
      waiting: false,
      abort(reason) {
        call.abort(reason);
        release();
      },
    };
  }

  private enqueue(send: SendRequest): GatedCall {
    let settle!: { resolve: (value: Awaited<ReplicaCall['answer']>) => void; reject: (error: unknown) => void };
    const answer = new Promise<Awaited<ReplicaCall['answer']>>((resolve, reject) => (settle = { resolve, reject }));
    let sent: ReplicaCall | undefined;
    let abortedWith: Error | undefined;
    const waiting: Waiting = {
      start: () => {
        try {
          sent = this.sendCounted(send);
        } catch (error) {
          settle.reject(error);
          return;
        }
        sent.answer.then(settle.resolve, settle.reject);
      },
    };
    this.queue.push(waiting);
    return {
      answer,
      get waiting() {
        return sent === undefined && abortedWith === undefined;
      },
      abort: (reason) => {
        if (sent) return sent.abort(reason);
        if (abortedWith) return;
        abortedWith = reason;
        const at = this.queue.indexOf(waiting);
        if (at >= 0) this.queue.splice(at, 1);
        settle.reject(reason);
      },
    };
  }

  private next(): void {
    while (this.running < this.limit.perReplica && this.queue.length > 0) {
      this.queue.shift()!.start();
    }
  }
}

function sentAlready(call: ReplicaCall): GatedCall {
  return { answer: call.answer, waiting: false, abort: (reason) => call.abort(reason) };
}
