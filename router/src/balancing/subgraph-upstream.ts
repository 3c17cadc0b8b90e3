import type { Logger } from '@cinema/kit/logging';
import { BalancedFetcher, type RequestSigner, type SubgraphRequest } from './balanced-fetcher.js';
import type { BufferedResponse } from './buffered-response.js';
import type { HeavyRequestLimit } from './heavy-request-gate.js';
import { DEFAULT_HEDGE_POLICY, type HedgePolicy } from './hedge-policy.js';
import { InFlightMerge, runAlone } from './in-flight-merge.js';
import { WriteEpoch } from './write-epoch.js';
import type { BalancerMetrics, UpstreamStats } from './balancer-metrics.js';
import { DnsDiscovery, type ResolveAddresses } from './dns-discovery.js';
import { HealthChecker, type HealthCheckOptions } from './health-checker.js';
import { OutlierDetector, type EjectionPolicy } from './outlier-detector.js';
import { Replica, type ReplicaSnapshot } from './replica.js';
import type { ReplicaSource } from './replica-source.js';
import { ReplicaSet } from './replica-set.js';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';

/** Settings shared by every subgraph's balancing. */
export interface UpstreamPolicy {
  healthCheck: HealthCheckOptions;
  ejection: EjectionPolicy;
  retryBudget: RetryBudgetOptions;
  dnsRefreshMs: number;
  /** Most keep-alive connections to one replica. */
  connectionsPerReplica: number;
  /** How many large requests one replica is sent at once (`HeavyRequestGate`); its defaults when left out. */
  heavyRequests?: HeavyRequestLimit;
  /** When a slow query is sent again to another replica; {@link DEFAULT_HEDGE_POLICY} when left out. */
  hedge?: HedgePolicy;
  /** Identical queries of the same caller in flight at once are sent once (default). */
  mergeInFlight?: boolean;
  /** The router's count of answered writes, shared by every subgraph (one is made when not given). */
  writes?: WriteEpoch;
  /** Proof of origin added to every request to a replica (health probes go without); see `BalancedFetcherOptions.signRequest`. */
  signRequest?: RequestSigner;
}

export interface SubgraphUpstreamOptions extends UpstreamPolicy {
  subgraph: string;
  sources: readonly ReplicaSource[];
  timeoutMs: number;
  logger: Logger;
  metrics?: BalancerMetrics;
  /** DNS resolution, replaceable in tests. */
  resolve?: ResolveAddresses;
}

/**
 * Everything that balances one subgraph: its replica set (fixed URLs and DNS names), the outlier detector and health
 * checker that decide which replicas get traffic, the retry budget, and the fetcher the gateway's data source calls.
 * Each subgraph has its own, so one subgraph's outage never spends another's retry budget.
 */
export class SubgraphUpstream {
  readonly subgraph: string;
  readonly fetcher: BalancedFetcher;
  private retriesDenied = 0;
  private hedgesDenied = 0;
  private readonly inFlight: InFlightMerge<BufferedResponse>;
  private readonly writes: WriteEpoch;
  private readonly mergeInFlight: boolean;
  private readonly set: ReplicaSet;
  private readonly checker: HealthChecker;
  private readonly discoveries: DnsDiscovery[] = [];

  constructor(options: SubgraphUpstreamOptions) {
    const { subgraph, logger, metrics } = options;
    this.subgraph = subgraph;
    this.mergeInFlight = options.mergeInFlight ?? true;
    this.writes = options.writes ?? new WriteEpoch();
    this.inFlight = new InFlightMerge<BufferedResponse>(() => this.writes.current);
    const log = logger.child({ subgraph });
    this.set = new ReplicaSet(
      (url) =>
        new Replica(url, {
          connections: options.connectionsPerReplica,
          ...(options.heavyRequests ? { heavyRequests: options.heavyRequests } : {}),
          ...(metrics ? { observeLatency: metrics.latencyObserver(subgraph, url) } : {}),
        }),
      (replica) => {
        log.info({ replica: replica.url }, 'subgraph replica retired');
        metrics?.forget(subgraph, replica.url);
      },
    );
    const replicas = () => this.set.replicas;
    const detector = new OutlierDetector(options.ejection, replicas, {
      ejected: (replica, reason, forMs) => log.warn({ replica: replica.url, reason, forMs, ejections: replica.ejections }, 'subgraph replica ejected'),
      readmitted: (replica) => log.info({ replica: replica.url }, 'subgraph replica readmitted'),
    });
    this.checker = new HealthChecker(replicas, detector, options.healthCheck);
    this.fetcher = new BalancedFetcher({
      subgraph,
      replicas,
      detector,
      budget: new RetryBudget(options.retryBudget),
      timeoutMs: options.timeoutMs,
      hedge: options.hedge ?? DEFAULT_HEDGE_POLICY,
      logger: log,
      onRetryDenied: () => (this.retriesDenied += 1),
      onHedgeDenied: () => (this.hedgesDenied += 1),
      ...(options.signRequest ? { signRequest: options.signRequest } : {}),
    });
    const fixed = options.sources.flatMap((source) => (source.kind === 'static' ? [source.url] : []));
    if (fixed.length > 0) this.set.update('static', fixed);
    for (const source of options.sources) {
      if (source.kind !== 'dns') continue;
      this.discoveries.push(
        new DnsDiscovery(source, (urls) => this.set.update(source.entry, urls), {
          refreshMs: options.dnsRefreshMs,
          logger: log,
          ...(options.resolve ? { resolve: options.resolve } : {}),
        }),
      );
    }
  }

  /**
   * Sends a request from the gateway. A query with a `mergeKey` (the caller's identity: a merged request answers
   * for everyone who joined it) shares the answer of an identical one already in flight. `signal` aborts when the
   * client leaves: the caller stops waiting, and the request is aborted once no caller waits for it. `arrivedIn` (the
   * write epoch when the client's request arrived) keeps it from joining a request sent before a later write; a
   * write, once answered, advances the epoch.
   */
  send(request: SubgraphRequest, mergeKey: string | undefined, signal: AbortSignal | undefined, arrivedIn?: number): Promise<BufferedResponse> {
    if (!request.readOnly) {
      const answer = runAlone(signal, this.fetcher.start(request));
      const advance = () => this.writes.advance();
      answer.then(advance, advance);
      return answer;
    }
    if (mergeKey === undefined || !this.mergeInFlight) return runAlone(signal, this.fetcher.start(request));
    return this.inFlight.run(`${mergeKey}\n${request.body}`, signal, () => this.fetcher.start(request), arrivedIn);
  }

  get replicas(): readonly Replica[] {
    return this.set.replicas;
  }

  /** Resolves DNS sources once, then starts health checks and periodic re-resolution. */
  async start(): Promise<void> {
    await Promise.all(this.discoveries.map((discovery) => discovery.start()));
    this.checker.start();
  }

  snapshot(): ReplicaSnapshot[] {
    const now = performance.now();
    return this.set.replicas.map((replica) => replica.snapshot(now));
  }

  stats(): UpstreamStats {
    return {
      subgraph: this.subgraph,
      replicas: this.set.replicas,
      retriesDenied: this.retriesDenied,
      hedgesDenied: this.hedgesDenied,
      merged: this.inFlight.merged,
    };
  }

  async close(): Promise<void> {
    this.checker.stop();
    for (const discovery of this.discoveries) discovery.stop();
    await this.set.close();
  }
}
