import type { Logger } from '@cinema/kit/logging';
import { BoundedLoadRing } from './bounded-load-ring.js';

export interface ChunkServerPoolOptions {
  /** Base URLs of the chunk server replicas. */
  urls: readonly string[];
  /** ε of the bounded-load ring: a replica takes at most (1+ε) × the average load. */
  balanceFactor: number;
  /**
   * How long a handed-out URL counts as one unit of load on its replica. It bridges the gap between handing out a
   * URL and the viewer's requests showing in the replica's own figures (next health probe), so that a burst of new
   * viewers spreads instead of all landing on one replica before it reports them.
   */
  assignmentWindowMs: number;
  /**
   * The longest a replica that stops answering keeps getting new URLs. A probe that times out is what reveals a
   * silent replica (a host whose packets are dropped refuses nothing), so probes start every interval minus their
   * timeout: the next probe after the replica went silent has failed within one interval.
   */
  healthIntervalMs: number;
  /**
   * Most a probe may take; capped at half the interval (but never below {@link MIN_PROBE_TIMEOUT_MS}), so that probing
   * leaves room in the interval for the wait until the next probe.
   */
  healthTimeoutMs: number;
  logger: Logger;
}

/**
 * The shortest probe timeout, whatever the interval: a loaded replica answering its probe a little late is not
 * silent, and one late probe takes a replica out of rotation. On a saturated 2-core machine a serving chunk server
 * was seen to miss even a 1 s probe now and then, so shorter timeouts would eject busy replicas, not silent ones. Intervals under twice this cannot be kept for a
 * silent replica (it is out after the next probe's timeout); a dead one, whose host refuses connections, still fails
 * its next probe at once.
 */
const MIN_PROBE_TIMEOUT_MS = 1_000;

/** What a chunk server says about its load on `/health` (see chunk-server/src/load-monitor.ts). */
interface ReportedLoad {
  activeResponses: number;
  bytesPerSecond: number;
  eventLoopDelayMs: number;
}

/** A replica as the pool sees it, for logs and tests. */
export interface ChunkServerState {
  url: string;
  healthy: boolean;
  /** The replica's own figures from its last health probe; undefined before the first or after a failed one. */
  reported: ReportedLoad | undefined;
  /** URLs handed out for it within the assignment window. */
  recentAssignments: number;
  /** What the ring balances on: reported active responses plus recent assignments. */
  load: number;
}

/**
 * Chooses the chunk server replica for a movie with consistent hashing and bounded loads: the same asset goes to
 * the same replica, whose page cache then holds it, until that replica carries more than (1+ε) times the average
 * load; then the next replica on the ring takes the spill. Replicas failing their health check get no new URLs.
 *
 * Load is measured, not guessed: every health probe reads the replica's own count of active responses (viewers
 * being sent bytes right now, slow ones included, since a slow reader holds its response open), and each URL
 * handed out in the last {@link ChunkServerPoolOptions.assignmentWindowMs} adds one until the replica's figures
 * catch up. An overloaded replica's new viewers therefore go elsewhere within one probe interval, and come back
 * to it once its load falls.
 */
export class ChunkServerPool {
  readonly #ring: BoundedLoadRing;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #reported = new Map<string, ReportedLoad>();
  readonly #recent = new Map<string, number>();
  readonly #options: ChunkServerPoolOptions;
  /** Replicas whose probe has not ended yet: a round does not probe them again (a late answer could undo a newer one). */
  readonly #probing = new Set<string>();
  readonly #probeTimeoutMs: number;
  readonly #probePeriodMs: number;
  #healthTimer: NodeJS.Timeout | undefined;

  constructor(options: ChunkServerPoolOptions) {
    this.#options = options;
    this.#ring = new BoundedLoadRing(options.urls, { balanceFactor: options.balanceFactor });
    const half = Math.max(1, Math.floor(options.healthIntervalMs / 2));
    this.#probeTimeoutMs = Math.min(options.healthTimeoutMs, Math.max(half, MIN_PROBE_TIMEOUT_MS));
    this.#probePeriodMs = Math.max(half, options.healthIntervalMs - this.#probeTimeoutMs);
  }

  /**
   * Starts active health checks; the first round runs at once. Rounds start every interval minus the probe timeout
   * (see {@link ChunkServerPoolOptions.healthIntervalMs}): a replica silent since just after a probe answered is
   * found out by the next probe's timeout, one interval later at most.
   */
  start(): void {
    void this.checkHealth();
    this.#healthTimer = setInterval(() => void this.checkHealth(), this.#probePeriodMs);
    this.#healthTimer.unref();
  }

  stop(): void {
    clearInterval(this.#healthTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** The replica to serve `assetId`, counted as load for the assignment window; undefined when none is healthy. */
  assign(assetId: string): string | undefined {
    const replica = this.#ring.pick(assetId);
    if (!replica) return undefined;
    this.#recent.set(replica, (this.#recent.get(replica) ?? 0) + 1);
    this.#updateLoad(replica);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#recent.set(replica, Math.max(0, (this.#recent.get(replica) ?? 0) - 1));
      this.#updateLoad(replica);
    }, this.#options.assignmentWindowMs);
    timer.unref();
    this.#timers.add(timer);
    return replica;
  }

  /**
   * The replica an asset lives on when nothing is loaded: the first healthy one clockwise from its hash. For links
   * that should not move with load (posters, which caches keep), and for tests to know the consistent-hash owner.
   */
  home(assetId: string): string | undefined {
    return this.#ring.home(assetId);
  }

  /** Every replica's health and load, as the last probes saw them. */
  states(): ChunkServerState[] {
    return this.#ring.replicas.map((url) => ({
      url,
      healthy: this.#ring.isHealthy(url),
      reported: this.#reported.get(url),
      recentAssignments: this.#recent.get(url) ?? 0,
      load: this.#ring.load(url),
    }));
  }

  /**
   * Probes every replica's `/health` and reads its load; a failure takes it out of rotation until a probe succeeds
   * again. A replica that answers without load figures (an older version) counts only its recent assignments.
   */
  async checkHealth(): Promise<void> {
    await Promise.all(
      this.#ring.replicas.map(async (url) => {
        if (this.#probing.has(url)) return;
        this.#probing.add(url);
        let healthy: boolean;
        let reported: ReportedLoad | undefined;
        try {
          // The timeout covers the body too: a replica that goes silent mid-answer fails this probe, not a later one.
          const signal = AbortSignal.timeout(this.#probeTimeoutMs);
          const response = await fetch(`${url}/health`, { signal });
          healthy = response.ok;
          if (healthy) reported = readLoad(await response.json().catch(() => undefined));
          else await response.body?.cancel();
          if (signal.aborted) healthy = false;
        } catch {
          healthy = false;
        } finally {
          this.#probing.delete(url);
        }
        if (healthy !== this.#ring.isHealthy(url)) this.#options.logger.warn({ url, healthy }, 'chunk server health changed');
        this.#ring.setHealthy(url, healthy);
        if (reported) this.#reported.set(url, reported);
        else this.#reported.delete(url);
        this.#updateLoad(url);
      }),
    );
  }

  #updateLoad(url: string): void {
    this.#ring.setLoad(url, (this.#reported.get(url)?.activeResponses ?? 0) + (this.#recent.get(url) ?? 0));
  }
}

function readLoad(body: unknown): ReportedLoad | undefined {
  const load = (body as { load?: Partial<ReportedLoad> } | undefined)?.load;
  if (!load || typeof load.activeResponses !== 'number' || !Number.isFinite(load.activeResponses) || load.activeResponses < 0) return undefined;
  return {
    activeResponses: load.activeResponses,
    bytesPerSecond: typeof load.bytesPerSecond === 'number' ? load.bytesPerSecond : 0,
    eventLoopDelayMs: typeof load.eventLoopDelayMs === 'number' ? load.eventLoopDelayMs : 0,
  };
}
