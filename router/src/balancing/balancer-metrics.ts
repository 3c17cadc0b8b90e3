import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { REQUEST_FAILURE_KINDS } from './failure-kind.js';
import type { Replica } from './replica.js';

/** What the metrics read from one subgraph's balancer when scraped. */
export interface UpstreamStats {
  subgraph: string;
  replicas: readonly Replica[];
  retriesDenied: number;
  hedgesDenied: number;
  /** Requests that joined an identical one already in flight instead of being sent. */
  merged: number;
}

/**
 * The router's Prometheus metrics: per replica, attempts, failures by kind, retries, ejections, in-flight requests,
 * state and attempt latency; per subgraph, retries the budget refused; plus Node's process metrics. Counts are read from the
 * replicas' own counters at scrape time, so `/metrics` and `/health` never disagree and the request path only pays
 * for the latency histogram.
 */
export class BalancerMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram<'subgraph' | 'replica'>;

  constructor(upstreams: () => Iterable<UpstreamStats>) {
    const registers = [this.registry];
    const perReplica = (read: (replica: Replica) => number) =>
      function collect(this: Counter<'subgraph' | 'replica'> | Gauge<'subgraph' | 'replica'>) {
        this.reset();
        for (const { subgraph, replicas } of upstreams()) for (const replica of replicas) this.labels(subgraph, replica.url).inc(read(replica));
      };
    const replicaLabels = ['subgraph', 'replica'] as const;
    new Counter({
      name: 'router_subgraph_requests_total',
      help: 'Attempts sent to a subgraph replica, retries included.',
      labelNames: replicaLabels,
      registers,
      collect: perReplica((r) => r.requests),
    });
    new Counter({
      name: 'router_subgraph_retries_total',
      help: 'Attempts that retried, on this replica, a request another replica failed.',
      labelNames: replicaLabels,
      registers,
      collect: perReplica((r) => r.retries),
    });
    new Counter({
      name: 'router_subgraph_hedges_total',
      help: 'Attempts that hedged, on this replica, a query another replica was slow to answer.',
      labelNames: replicaLabels,
      registers,
      collect: perReplica((r) => r.hedges),
    });
    new Gauge({
      name: 'router_subgraph_in_flight',
      help: 'Requests in flight to a subgraph replica.',
      labelNames: replicaLabels,
      registers,
      collect: perReplica((r) => r.inFlight),
    });
    new Counter({
      name: 'router_subgraph_ejections_total',
      help: 'Times a subgraph replica was ejected (requests or health probes failed).',
      labelNames: replicaLabels,
      registers,
      collect: perReplica((r) => r.ejectionsTotal),
    });
    new Gauge({
      name: 'router_subgraph_replica_healthy',
      help: '1 while the replica receives traffic, 0 while it is ejected.',
      labelNames: replicaLabels,
      registers,
      collect: perReplica((r) => (r.state === 'healthy' ? 1 : 0)),
    });
    new Counter({
      name: 'router_subgraph_errors_total',
      help: 'Failed attempts on a subgraph replica, by kind: refused (never sent), timeout, reset (connection broke), status (5xx).',
      labelNames: ['subgraph', 'replica', 'kind'] as const,
      registers,
      collect() {
        this.reset();
        for (const { subgraph, replicas } of upstreams())
          for (const replica of replicas) for (const kind of REQUEST_FAILURE_KINDS) this.labels(subgraph, replica.url, kind).inc(replica.failuresByKind[kind]);
      },
    });
    new Counter({
      name: 'router_subgraph_retries_denied_total',
      help: 'Failed requests not retried because the subgraph retry budget was spent.',
      labelNames: ['subgraph'] as const,
      registers,
      collect() {
        this.reset();
        for (const { subgraph, retriesDenied } of upstreams()) this.labels(subgraph).inc(retriesDenied);
      },
    });
    new Counter({
      name: 'router_subgraph_hedges_denied_total',
      help: 'Slow queries not hedged because the subgraph retry budget was spent.',
      labelNames: ['subgraph'] as const,
      registers,
      collect() {
        this.reset();
        for (const { subgraph, hedgesDenied } of upstreams()) this.labels(subgraph).inc(hedgesDenied);
      },
    });
    new Counter({
      name: 'router_subgraph_merged_requests_total',
      help: 'Subgraph requests not sent because an identical one (same body and caller) was already in flight; they share its answer.',
      labelNames: ['subgraph'] as const,
      registers,
      collect() {
        this.reset();
        for (const { subgraph, merged } of upstreams()) this.labels(subgraph).inc(merged);
      },
    });
    this.latency = new Histogram({
      name: 'router_subgraph_request_duration_seconds',
      help: 'Duration of attempts on a subgraph replica, failures included.',
      labelNames: replicaLabels,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The latency recorder for one replica, bound once so the request path skips the label lookup. */
  latencyObserver(subgraph: string, url: string): (seconds: number) => void {
    const child = this.latency.labels(subgraph, url);
    return (seconds) => child.observe(seconds);
  }

  /** Drops a retired replica's latency series. */
  forget(subgraph: string, url: string): void {
    this.latency.remove(subgraph, url);
  }

  /** Every metric of the registry in Prometheus' text format (what `/metrics` serves). */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
