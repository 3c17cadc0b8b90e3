import { BoundedLoadRing, type Logger } from '@cinema/kit';

export interface ChunkServerPoolOptions {
  /** Base URLs of the chunk server replicas. */
  urls: readonly string[];
  /** ε of the bounded-load ring: a replica takes at most (1+ε) × the average load. */
  balanceFactor: number;
  /** How long a handed-out URL counts as load on its replica (a viewer starting to play). */
  loadWindowMs: number;
  healthIntervalMs: number;
  healthTimeoutMs: number;
  logger: Logger;
}

/**
 * Chooses the chunk server replica for a movie with consistent hashing and bounded loads: the same asset goes to
 * the same replica, whose page cache then holds it, until that replica carries more than (1+ε) times the average
 * load; then the next replica on the ring takes the spill. Replicas failing their health check get no new URLs.
 *
 * Load is the number of URLs this process handed out for a replica within the load window: a URL handed out is a
 * viewer about to fetch playlists and segments from that replica.
 */
export class ChunkServerPool {
  readonly #ring: BoundedLoadRing;
  readonly #timers = new Set<NodeJS.Timeout>();
  #healthTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChunkServerPoolOptions) {
    this.#ring = new BoundedLoadRing(options.urls, { balanceFactor: options.balanceFactor });
  }

  /** Starts active health checks; the first round runs at once. */
  start(): void {
    void this.checkHealth();
    this.#healthTimer = setInterval(() => void this.checkHealth(), this.options.healthIntervalMs);
    this.#healthTimer.unref();
  }

  stop(): void {
    clearInterval(this.#healthTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** The replica to serve `assetId`, counted as load for the load window; undefined when none is healthy. */
  assign(assetId: string): string | undefined {
    const replica = this.#ring.pick(assetId);
    if (!replica) return undefined;
    this.#ring.acquire(replica);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#ring.release(replica);
    }, this.options.loadWindowMs);
    timer.unref();
    this.#timers.add(timer);
    return replica;
  }

  /** Probes every replica's `/health`; a failure takes it out of rotation until a probe succeeds again. */
  async checkHealth(): Promise<void> {
    await Promise.all(
      this.#ring.replicas.map(async (url) => {
        let healthy = false;
        try {
          const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(this.options.healthTimeoutMs) });
          healthy = response.ok;
          await response.body?.cancel();
        } catch {
          healthy = false;
        }
        if (healthy !== this.#ring.isHealthy(url)) this.options.logger.warn({ url, healthy }, 'chunk server health changed');
        this.#ring.setHealthy(url, healthy);
      }),
    );
  }
}
