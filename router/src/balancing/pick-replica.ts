import { provesDown } from './failure-kind.js';
import type { Replica } from './replica.js';

/**
 * A replica this many times slower than the one it is compared with, and at least {@link SLOW_REPLICA_MIN_GAP_MS}
 * slower, counts its load as proportionally heavier. The gap keeps millisecond noise (a new connection, a GC pause)
 * from steering traffic.
 */
export const SLOW_REPLICA_FACTOR = 2;
export const SLOW_REPLICA_MIN_GAP_MS = 10;

/**
 * Latency older than this is forgotten. A slow replica gets little traffic, so its average would otherwise never
 * improve after it recovers; forgetting lets it back in on equal terms.
 */
export const LATENCY_MEMORY_MS = 10_000;

export interface PickOptions {
  /** `performance.now()`, passed in so one request uses one clock reading. */
  now: number;
  /** A replica not to pick: the one a retry is moving away from. */
  exclude?: Replica | undefined;
  /** Source of randomness; tests pass a deterministic one. */
  random?: () => number;
}

/**
 * Picks a healthy replica by "power of two random choices": draw two at random, send to the less loaded one. Load is
 * the number of requests in flight, so a replica that answers slowly (or not at all) accumulates in-flight requests
 * and is avoided within a few requests, which round robin never does. A replica whose recent latency runs far above
 * its rival's (see {@link SLOW_REPLICA_FACTOR}) has its load scaled by the ratio, so it gets less traffic even when
 * the load is too light for requests to pile up. Two random draws, rather than the global minimum, keep many routers
 * from herding onto the same replica.
 *
 * Returns undefined when no healthy replica is left, so the caller can fail fast instead of waiting.
 */
export function pickReplica(replicas: readonly Replica[], { now, exclude, random = Math.random }: PickOptions): Replica | undefined {
  let eligible = 0;
  for (const replica of replicas) if (isEligible(replica, exclude)) eligible += 1;
  if (eligible === 0) return undefined;
  if (eligible === 1) return nthEligible(replicas, 0, exclude);
  const first = Math.floor(random() * eligible);
  let second = Math.floor(random() * (eligible - 1));
  if (second >= first) second += 1;
  const a = nthEligible(replicas, first, exclude)!;
  const b = nthEligible(replicas, second, exclude)!;
  // Ties go to `a`, itself a random draw, so equal replicas share traffic evenly.
  return load(a, b, now) <= load(b, a, now) ? a : b;
}

/** In-flight requests (plus the one being placed), scaled up when the replica is far slower than `rival`. */
function load(replica: Replica, rival: Replica, now: number): number {
  const own = recentLatency(replica, now);
  const theirs = recentLatency(rival, now);
  const slow = own > 0 && theirs > 0 && own > SLOW_REPLICA_FACTOR * theirs && own - theirs > SLOW_REPLICA_MIN_GAP_MS;
  const penalty = slow ? own / theirs : 1;
  return (replica.inFlight + 1) * penalty;
}

function recentLatency(replica: Replica, now: number): number {
  return now - replica.latencySampledAt <= LATENCY_MEMORY_MS ? replica.latencyMs : 0;
}

function isEligible(replica: Replica, exclude: Replica | undefined): boolean {
  return replica.state === 'healthy' && replica !== exclude;
}

function nthEligible(replicas: readonly Replica[], n: number, exclude: Replica | undefined): Replica | undefined {
  let seen = 0;
  for (const replica of replicas) {
    if (!isEligible(replica, exclude)) continue;
    if (seen === n) return replica;
    seen += 1;
  }
  return undefined;
}

/**
 * The last resort when {@link pickReplica} finds no healthy replica: one ejected only on suspicion (too slow, a
 * broken connection, a 5xx), never one proven down (connection refused, health endpoint failing), the one due back
 * soonest. Suspicion is meant to steer traffic to healthier peers; with none left, a slow answer beats a certain
 * failure. Seen in a rolling restart on a loaded machine: the replica just restarted missed one timeout while warming
 * up and was ejected 80 ms before its peer was stopped for its own restart, and every request failed for a second.
 */
export function pickSuspected(replicas: readonly Replica[]): Replica | undefined {
  let best: Replica | undefined;
  for (const replica of replicas) {
    if (replica.state !== 'ejected' || replica.ejectedFor === undefined || provesDown(replica.ejectedFor)) continue;
    if (!best || replica.ejectedUntil < best.ejectedUntil) best = replica;
  }
  return best;
}
