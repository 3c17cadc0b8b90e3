import { createHash } from 'node:crypto';

export interface BoundedLoadRingOptions {
  /**
   * ε: how far above the average load a replica may go (0.25 = 125 %, HAProxy's `hash-balance-factor 125`). Small
   * values spread load evenly but move more keys off their home replica; large values favour cache locality.
   */
  readonly balanceFactor?: number;
  /** Points per replica on the ring; more points even out the share of keys each replica owns. */
  readonly virtualNodes?: number;
}

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, 2016), as in HAProxy's
 * `hash-balance-factor`.
 *
 * Why: plain consistent hashing sends every viewer of the same movie to the same chunk server, which keeps that
 * server's page cache hot but lets one blockbuster overload it. Here a key goes to the first replica clockwise from
 * its hash whose load stays within `ceil((1 + ε) × (totalLoad + 1) / n)`, so a popular movie spills onto the next
 * replicas on the ring while every other movie keeps its home. Removing a replica only moves the keys it owned.
 *
 * Load is whatever the caller counts (open streams, in-flight requests): {@link acquire} when work starts on a
 * replica, {@link release} when it ends. Unhealthy replicas keep their place on the ring but receive nothing, so
 * their keys come home when they recover.
 *
 * @example
 * const ring = new BoundedLoadRing(['http://cs-1', 'http://cs-2', 'http://cs-3'], { balanceFactor: 0.25 });
 * const replica = ring.pick('movie:42');
 * if (replica) { ring.acquire(replica); try { await serve(replica); } finally { ring.release(replica); } }
 */
export class BoundedLoadRing {
  readonly balanceFactor: number;
  readonly virtualNodes: number;
  readonly #loads = new Map<string, number>();
  readonly #unhealthy = new Set<string>();
  #positions = new Uint32Array(0);
  #owners: string[] = [];

  constructor(replicas: Iterable<string> = [], options: BoundedLoadRingOptions = {}) {
    this.balanceFactor = options.balanceFactor ?? 0.25;
    this.virtualNodes = options.virtualNodes ?? 160;
    if (!(this.balanceFactor > 0)) throw new RangeError('balanceFactor must be greater than 0');
    if (!Number.isInteger(this.virtualNodes) || this.virtualNodes < 1) throw new RangeError('virtualNodes must be a positive integer');
    for (const replica of replicas) this.#loads.set(replica, 0);
    this.#rebuild();
  }

  /** Every replica on the ring, healthy or not. */
  get replicas(): string[] {
    return [...this.#loads.keys()];
  }

  /** Adds a replica with no load; a no-op if it is already there. */
  add(replica: string): void {
    if (this.#loads.has(replica)) return;
    this.#loads.set(replica, 0);
    this.#rebuild();
  }

  /** Takes a replica off the ring; its keys move to their next replica clockwise, its load is forgotten. */
  remove(replica: string): void {
    if (!this.#loads.delete(replica)) return;
    this.#unhealthy.delete(replica);
    this.#rebuild();
  }

  /** Marks a replica (un)healthy; unhealthy replicas keep their ring points but {@link pick} skips them. */
  setHealthy(replica: string, healthy: boolean): void {
    if (!this.#loads.has(replica)) return;
    if (healthy) this.#unhealthy.delete(replica);
    else this.#unhealthy.add(replica);
  }

  isHealthy(replica: string): boolean {
    return this.#loads.has(replica) && !this.#unhealthy.has(replica);
  }

  /** Current load of a replica (0 for unknown replicas). */
  load(replica: string): number {
    return this.#loads.get(replica) ?? 0;
  }

  /**
   * Sets a replica's load outright, for callers that measure load rather than count it (a figure the replica
   * reports about itself); ignored for unknown replicas, negative or non-finite values count as 0.
   */
  setLoad(replica: string, load: number): void {
    if (this.#loads.has(replica)) this.#loads.set(replica, Number.isFinite(load) && load > 0 ? load : 0);
  }

  /** Counts one more unit of work on `replica`. */
  acquire(replica: string): void {
    const load = this.#loads.get(replica);
    if (load !== undefined) this.#loads.set(replica, load + 1);
  }

  /** Counts one unit of work less on `replica`; releases for removed replicas are ignored. */
  release(replica: string): void {
    const load = this.#loads.get(replica);
    if (load !== undefined && load > 0) this.#loads.set(replica, load - 1);
  }

  /** The most load a healthy replica may hold after taking one more unit: `ceil((1 + ε) × (totalLoad + 1) / n)`. */
  capacity(): number {
    let healthy = 0;
    let total = 0;
    for (const [replica, load] of this.#loads) {
      if (this.#unhealthy.has(replica)) continue;
      healthy += 1;
      total += load;
    }
    return healthy === 0 ? 0 : Math.ceil(((1 + this.balanceFactor) * (total + 1)) / healthy);
  }

  /**
   * The replica that should serve `key`: the first healthy one clockwise from the key's hash with room under
   * {@link capacity}. Undefined only when no replica is healthy. Does not change loads; call {@link acquire}.
   */
  pick(key: string): string | undefined {
    const count = this.#owners.length;
    if (count === 0) return undefined;
    const cap = this.capacity();
    if (cap === 0) return undefined;
    const distinct = this.#loads.size;
    const seen = new Set<string>();
    const start = this.#firstPointAtOrAfter(hash32(key));
    for (let step = 0; step < count && seen.size < distinct; step += 1) {
      const replica = this.#owners[(start + step) % count] as string;
      if (seen.has(replica)) continue;
      seen.add(replica);
      if (!this.#unhealthy.has(replica) && (this.#loads.get(replica) ?? 0) + 1 <= cap) return replica;
    }
    return undefined;
  }

  /** The first healthy replica clockwise from `key`'s hash, whatever the loads: the key's home. */
  home(key: string): string | undefined {
    const count = this.#owners.length;
    const start = this.#firstPointAtOrAfter(hash32(key));
    for (let step = 0; step < count; step += 1) {
      const replica = this.#owners[(start + step) % count] as string;
      if (!this.#unhealthy.has(replica)) return replica;
    }
    return undefined;
  }

  #firstPointAtOrAfter(point: number): number {
    let low = 0;
    let high = this.#positions.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#positions[middle] as number) < point) low = middle + 1;
      else high = middle;
    }
    return low === this.#positions.length ? 0 : low;
  }

  #rebuild(): void {
    const points: Array<{ position: number; replica: string }> = [];
    for (const replica of this.#loads.keys()) {
      for (let index = 0; index < this.virtualNodes; index += 1) points.push({ position: hash32(`${replica}#${index}`), replica });
    }
    // Ties broken by name so that every process builds the same ring from the same replica list.
    points.sort((a, b) => a.position - b.position || (a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0));
    this.#positions = Uint32Array.from(points, (point) => point.position);
    this.#owners = points.map((point) => point.replica);
  }
}

/** A well-mixed 32-bit hash; identical in every process, unlike anything seeded per run. */
function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
