import { Client } from 'undici';
import { classifyTransportError } from './failure-kind.js';
import type { OutlierDetector } from './outlier-detector.js';
import type { Replica } from './replica.js';
import { sendToReplica } from './send-to-replica.js';

export interface HealthCheckOptions {
  intervalMs: number;
  /** A probe slower than this fails: a hung replica accepts connections but never answers. */
  timeoutMs: number;
  /** Path of each replica's health endpoint on its origin. */
  path: string;
}

/**
 * Active health checks: every interval, each healthy replica, and each ejected one whose backoff is over, gets a
 * `GET <origin><path>` on a fresh connection. A 2xx readmits an ejected replica; a refusal or a non-2xx ejects
 * (the subgraph's `/health` answers 503 when its database is unreachable); a timeout counts as one suspicious failure.
 * Passive detection reacts to real traffic; the probes find failures on idle replicas and bring recovered ones back.
 */
export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly probing = new Set<Replica>();

  constructor(
    private readonly replicas: () => readonly Replica[],
    private readonly detector: OutlierDetector,
    private readonly options: HealthCheckOptions,
  ) {}

  /** Probes at once, then on every interval. The timer does not keep the process alive. */
  start(): void {
    if (this.timer || this.stopped) return;
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops probing for good; a probe still out when this is called is ignored. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round of probes; a replica whose previous probe is still out is skipped rather than probed twice. */
  async checkAll(): Promise<void> {
    await Promise.all(
      this.replicas()
        .filter((replica) => !this.probing.has(replica) && this.detector.isDueForProbe(replica))
        .map((replica) => this.check(replica)),
    );
  }

  private async check(replica: Replica): Promise<void> {
    this.probing.add(replica);
    try {
      const outcome = await probe(replica, this.options);
      if (this.stopped) return;
      if (outcome === 'ok') this.detector.probeSucceeded(replica);
      else this.detector.probeFailed(replica, outcome);
    } finally {
      this.probing.delete(replica);
    }
  }
}

/**
 * One probe, on a connection of its own: a replica that is shutting down refuses new connections but still answers
 * on those it has, so a probe over a kept-alive connection would call it healthy.
 */
async function probe(replica: Replica, { path, timeoutMs }: HealthCheckOptions) {
  const client = new Client(replica.origin);
  try {
    const { statusCode } = await sendToReplica(client, { path, method: 'GET', reset: true }, timeoutMs);
    return statusCode >= 200 && statusCode < 300 ? ('ok' as const) : ('unhealthy' as const);
  } catch (error) {
    return classifyTransportError(error);
  } finally {
    void client.destroy();
  }
}
