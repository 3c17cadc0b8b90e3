import { provesDown, type FailureKind } from './failure-kind.js';
import type { Replica } from './replica.js';

export interface EjectionPolicy {
  /** Consecutive suspicious failures (timeouts, resets, 5xx) that eject a replica. */
  consecutiveFailures: number;
  /** Length of a first ejection; each further one doubles it. */
  baseEjectionMs: number;
  /** Longest ejection. A replica that stays healthy this long starts again from the base. */
  maxEjectionMs: number;
}

/** What the detector reports, for logs and metrics. */
export interface EjectionEvents {
  ejected(replica: Replica, reason: FailureKind, forMs: number): void;
  readmitted(replica: Replica): void;
}

/** How long the `ejections`-th ejection in a row lasts: base, 2×base, 4×base, ... capped at the maximum. */
export function ejectionBackoffMs(ejections: number, policy: EjectionPolicy): number {
  return Math.min(policy.maxEjectionMs, policy.baseEjectionMs * 2 ** Math.max(0, ejections - 1));
}

/**
 * Passive outlier ejection, fed by real requests and by the health checker's probes.
 *
 * A refused connection or a failed health endpoint proves the replica is down, so it is ejected at once; timeouts,
 * resets and 5xx only raise suspicion until `consecutiveFailures` of them in a row. Suspicion never ejects the last
 * healthy replica: with no peer to take its traffic that would turn slowness into an outage, and the per-request
 * timeout already bounds what a client waits. An ejected replica gets no traffic; once its backoff is over the
 * health checker probes it, and a passing probe readmits it while a failing one ejects it again for twice as long.
 * Ejection also lets go of the replica's keep-alive connections, so a replica that is shutting down can finish.
 */
export class OutlierDetector {
  constructor(
    private readonly policy: EjectionPolicy,
    private readonly replicas: () => readonly Replica[],
    private readonly events: EjectionEvents,
    private readonly now: () => number = () => performance.now(),
  ) {}

  succeeded(replica: Replica): void {
    replica.consecutiveFailures = 0;
  }

  /** A real request (or a probe of a healthy replica) failed. */
  failed(replica: Replica, kind: FailureKind): void {
    replica.consecutiveFailures += 1;
    if (replica.state === 'ejected') return;
    if (provesDown(kind) || (replica.consecutiveFailures >= this.policy.consecutiveFailures && this.hasHealthyPeer(replica))) this.eject(replica, kind);
  }

  /** Whether the health checker should probe the replica now: always when healthy, after its backoff when ejected. */
  isDueForProbe(replica: Replica): boolean {
    return replica.state === 'healthy' || this.now() >= replica.ejectedUntil;
  }

  probeSucceeded(replica: Replica): void {
    if (replica.state !== 'ejected') return;
    replica.state = 'healthy';
    replica.consecutiveFailures = 0;
    replica.healthySince = this.now();
    replica.forgetLatency();
    this.events.readmitted(replica);
  }

  probeFailed(replica: Replica, kind: FailureKind): void {
    if (replica.state === 'healthy') this.failed(replica, kind);
    else this.eject(replica, kind);
  }

  private eject(replica: Replica, reason: FailureKind): void {
    const now = this.now();
    if (replica.state === 'healthy' && now - replica.healthySince >= this.policy.maxEjectionMs) replica.ejections = 0;
    replica.ejections += 1;
    replica.ejectionsTotal += 1;
    const forMs = ejectionBackoffMs(replica.ejections, this.policy);
    if (replica.state === 'healthy') replica.recycleConnections();
    replica.state = 'ejected';
    replica.ejectedUntil = now + forMs;
    replica.ejectedFor = reason;
    this.events.ejected(replica, reason, forMs);
  }

  private hasHealthyPeer(replica: Replica): boolean {
    return this.replicas().some((other) => other !== replica && other.state === 'healthy');
  }
}
