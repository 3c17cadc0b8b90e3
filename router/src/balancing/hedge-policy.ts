/**
 * When a query is sent a second time, to another replica, while the first attempt is still running (a hedged
 * request): after a high percentile of the subgraph's recent latency, so only the slowest few percent of fetches
 * are hedged, and only within the retry budget, so hedging can never multiply the load of a subgraph that is slow
 * because it is overloaded. The first answer wins and the other attempt is aborted.
 */
export interface HedgePolicy {
  enabled: boolean;
  /** The latency percentile after which a query is hedged, e.g. 0.95. */
  quantile: number;
  /** Floor of the delay: below it, a hedge would mostly race a replica that is about to answer. */
  minDelayMs: number;
  /** Ceiling of the delay, and the delay while there are too few samples for a percentile. */
  maxDelayMs: number;
}

/** The router's defaults (README, "Configuration"). */
export const DEFAULT_HEDGE_POLICY: HedgePolicy = { enabled: true, quantile: 0.95, minDelayMs: 20, maxDelayMs: 1_000 };

/** The hedge delay for a subgraph whose recent latency percentile is `percentileMs` (undefined: too few samples yet). */
export function hedgeDelayMs(percentileMs: number | undefined, policy: HedgePolicy): number {
  if (percentileMs === undefined) return policy.maxDelayMs;
  return Math.min(policy.maxDelayMs, Math.max(policy.minDelayMs, Math.ceil(percentileMs)));
}
