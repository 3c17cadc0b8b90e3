import type { Logger } from '@cinema/kit/logging';
import { BalancerMetrics } from './balancer-metrics.js';
import type { Fetcher } from './balanced-fetcher.js';
import type { ReplicaSnapshot } from './replica.js';
import type { ReplicaSource } from './replica-source.js';
import { SubgraphUpstream, type UpstreamPolicy } from './subgraph-upstream.js';
import { WriteEpoch } from './write-epoch.js';

export interface SubgraphBalancerOptions extends UpstreamPolicy {
  /** Where a subgraph's replicas are; `routingUrl` is the supergraph's URL for it, the fallback. */
  sourcesFor(subgraph: string, routingUrl: string | undefined): readonly ReplicaSource[];
  timeoutMsFor(subgraph: string): number;
  logger: Logger;
}

/** `GET /health` of the router. */
export interface BalancerHealth {
  /** `degraded` while some subgraph has no healthy replica; the router itself still serves. */
  status: 'ok' | 'degraded';
  subgraphs: Record<string, ReplicaSnapshot[]>;
}

/**
 * The router's side of talking to subgraphs: one {@link SubgraphUpstream} per subgraph, created as the gateway
 * builds its data sources, plus the health report and metrics over all of them. It replaces what
 * `@apollo/gateway` lacks (one URL per subgraph, no retries, no per-subgraph timeout) through the data source's
 * `fetcher` hook, so the gateway itself is used as published.
 */
export class SubgraphBalancer {
  readonly metrics: BalancerMetrics;
  /** Writes answered through this router, shared by every subgraph: reads never merge with fetches from before one. */
  readonly writes = new WriteEpoch();
  private readonly upstreams = new Map<string, SubgraphUpstream>();
  private readonly starting: Promise<void>[] = [];

  constructor(private readonly options: SubgraphBalancerOptions) {
    this.metrics = new BalancerMetrics(() => [...this.upstreams.values()].map((upstream) => upstream.stats()));
  }

  /** The fetcher for a subgraph's data source; the first call for a subgraph sets up and starts its balancing. */
  fetcherFor(subgraph: string, routingUrl: string | undefined): Fetcher {
    return this.upstreamFor(subgraph, routingUrl).fetcher.fetch;
  }

  /** A subgraph's upstream; the first call for a subgraph sets up and starts its balancing. */
  upstreamFor(subgraph: string, routingUrl: string | undefined): SubgraphUpstream {
    let upstream = this.upstreams.get(subgraph);
    if (!upstream) {
      const { sourcesFor, timeoutMsFor, ...policy } = this.options;
      upstream = new SubgraphUpstream({
        ...policy,
        subgraph,
        sources: sourcesFor(subgraph, routingUrl),
        timeoutMs: timeoutMsFor(subgraph),
        metrics: this.metrics,
        writes: this.writes,
      });
      this.upstreams.set(subgraph, upstream);
      this.starting.push(upstream.start());
    }
    return upstream;
  }

  /** Resolves once every DNS source has been looked up once, so the router does not open with empty replica sets. */
  async ready(): Promise<void> {
    await Promise.all(this.starting);
  }

  health(): BalancerHealth {
    const subgraphs: Record<string, ReplicaSnapshot[]> = {};
    let status: BalancerHealth['status'] = 'ok';
    for (const [name, upstream] of this.upstreams) {
      subgraphs[name] = upstream.snapshot();
      if (!upstream.replicas.some((replica) => replica.state === 'healthy')) status = 'degraded';
    }
    return { status, subgraphs };
  }

  async close(): Promise<void> {
    await Promise.all([...this.upstreams.values()].map((upstream) => upstream.close()));
  }
}
