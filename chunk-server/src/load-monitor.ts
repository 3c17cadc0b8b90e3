import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** What one chunk server process (or a whole cluster of workers, added up) is doing right now. */
export interface LoadSnapshot {
  /** Stream responses started and not finished: each is a viewer being sent a playlist, segment or byte range. */
  readonly activeResponses: number;
  /** Response body bytes sent per second over the last sampling period. */
  readonly bytesPerSecond: number;
  /** 99th percentile of the event loop's delay over the last sampling period (the worst worker's, for a cluster). */
  readonly eventLoopDelayMs: number;
  /** Processes the figures add up. */
  readonly processes: number;
}

/** How often bytes/s and event-loop delay are turned into figures. */
export const LOAD_SAMPLE_MS = 1_000;

/**
 * Measures this process's own load, so that whoever hands out stream URLs (the movies service) can steer new
 * viewers away from a chunk server that is genuinely busy, rather than guessing from how many URLs it handed out.
 *
 * Why these three: open responses are what a slow or numerous audience costs (memory, descriptors, sockets held
 * under backpressure) and move the moment viewers arrive or leave; bytes per second is the throughput the disk and
 * NIC deliver; event-loop delay shows a process whose CPU is saturated whatever the reason. Counting is a few
 * integer operations per response; the sampling timer starts with {@link start} (when the server listens) and is
 * unref'd, so an idle monitor never keeps a process alive.
 */
export class LoadMonitor {
  #active = 0;
  #bytes = 0;
  #bytesPerSecond = 0;
  #delayMs = 0;
  #sampledAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #histogram: IntervalHistogram | undefined;
  /** Figures of the other workers of a cluster, pushed in by {@link setPeers}. */
  #peers: LoadSnapshot | undefined;

  /** Counts a response as active until the returned function is called (call it once, when the response closes). */
  begin(): () => void {
    this.#active += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#active -= 1;
    };
  }

  /** Adds body bytes that went out. */
  addBytes(count: number): void {
    this.#bytes += count;
  }

  start(): void {
    if (this.#timer) return;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    this.#sampledAt = performance.now();
    this.#timer = setInterval(() => this.#sample(), LOAD_SAMPLE_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#histogram?.disable();
  }

  /** This process's own figures. */
  own(): LoadSnapshot {
    return { activeResponses: this.#active, bytesPerSecond: this.#bytesPerSecond, eventLoopDelayMs: this.#delayMs, processes: 1 };
  }

  /** The figures of the other processes of the same server (cluster workers), added to {@link snapshot}. */
  setPeers(peers: LoadSnapshot | undefined): void {
    this.#peers = peers;
  }

  /** What the server as a whole is doing: this process plus its cluster peers, if any. */
  snapshot(): LoadSnapshot {
    const own = this.own();
    return this.#peers ? addLoads([own, this.#peers]) : own;
  }

  #sample(): void {
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.#sampledAt) / 1000);
    this.#bytesPerSecond = Math.round(this.#bytes / seconds);
    this.#bytes = 0;
    this.#sampledAt = now;
    if (this.#histogram) {
      // Nanoseconds; a histogram with no samples yet reports NaN-ish extremes, so guard.
      const p99 = this.#histogram.percentile(99);
      this.#delayMs = Number.isFinite(p99) ? Math.round(p99 / 1e4) / 100 : 0;
      this.#histogram.reset();
    }
  }
}

/** Sums counts and rates; the event-loop delay is the worst process's, since one saturated worker is what hurts. */
export function addLoads(loads: readonly LoadSnapshot[]): LoadSnapshot {
  return loads.reduce(
    (sum, load) => ({
      activeResponses: sum.activeResponses + load.activeResponses,
      bytesPerSecond: sum.bytesPerSecond + load.bytesPerSecond,
      eventLoopDelayMs: Math.max(sum.eventLoopDelayMs, load.eventLoopDelayMs),
      processes: sum.processes + load.processes,
    }),
    { activeResponses: 0, bytesPerSecond: 0, eventLoopDelayMs: 0, processes: 0 },
  );
}
