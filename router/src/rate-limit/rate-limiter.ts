/** The outcome of taking from a client's allowance. */
export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: seconds until the request would be allowed (at least 1), for `Retry-After`. */
  retryAfterSeconds: number;
}

/**
 * A token bucket per client: `perMinute` requests a minute on average, bursts of up to `perMinute` at once (a full
 * bucket), refilled continuously. A request costs one token per operation it holds.
 */
export interface RateLimiter {
  /** Takes `cost` tokens from `key`'s bucket; null when the limiter cannot tell (its store is down): fail open. */
  take(key: string, cost: number): Promise<RateLimitDecision | null>;
}
