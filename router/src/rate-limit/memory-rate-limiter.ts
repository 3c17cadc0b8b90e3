import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full ones (idle for a minute or more) are swept. */
const SWEEP_ABOVE = 50_000;

/**
 * The {@link RateLimiter} of a router without Redis (`npm start`): the same token buckets, in this process only, so
 * each router instance counts on its own. Full buckets hold no information and are dropped, which bounds memory
 * by the clients seen in the last minute.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#perMs = perMinute / 60_000;
  }

  async take(key: string, cost: number): Promise<RateLimitDecision> {
    const now = this.now();
    if (this.#buckets.size > SWEEP_ABOVE) this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.perMinute, at: now };
    const tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    if (tokens >= cost) {
      this.#buckets.set(key, { tokens: tokens - cost, at: now });
      return { allowed: true, retryAfterSeconds: 0 };
    }
    this.#buckets.set(key, { tokens, at: now });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / this.#perMs / 1000)) };
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#perMs >= this.perMinute) this.#buckets.delete(key);
    }
  }
}
