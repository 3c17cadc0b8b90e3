import { createHash } from 'node:crypto';
import type { RedisConnection } from '@cinema/kit/cache';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

/**
 * One token bucket, read, refilled, charged and written in one atomic step. Time comes from Redis (`TIME`), so
 * router instances with skewed clocks still agree. Returns {allowed, milliseconds to wait}. The key expires once
 * the bucket would be full again, so idle clients cost no memory.
 */
const TOKEN_BUCKET = `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / per_ms) + 1000)
return {allowed, wait}
`;
const TOKEN_BUCKET_SHA = createHash('sha1').update(TOKEN_BUCKET).digest('hex');

/**
 * The {@link RateLimiter} every router instance shares: token buckets in Redis, updated by one Lua script per
 * request (one round trip, atomic, so two instances never both spend the last token). When Redis is down or slow
 * the request goes through (fail open): the connection logs that once per interval, and an outage of the limiter
 * never becomes an outage of the API.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #perMs: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly perMinute: number,
    /** Prefix of the bucket keys, e.g. `cinema:rate-limit:`. */
    private readonly keyPrefix: string,
  ) {
    this.#perMs = perMinute / 60_000;
  }

  async take(key: string, cost: number): Promise<RateLimitDecision | null> {
    const options = { keys: [`${this.keyPrefix}${key}`], arguments: [String(this.perMinute), String(this.#perMs), String(cost)] };
    const reply = await this.redis.run(async (client) => {
      try {
        return await client.evalSha(TOKEN_BUCKET_SHA, options);
      } catch (error) {
        // First use on this Redis (or after a restart): load the script by sending it whole.
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return client.eval(TOKEN_BUCKET, options);
        throw error;
      }
    }, null);
    if (!Array.isArray(reply)) return null;
    const [allowed, waitMs] = reply.map(Number) as [number, number];
    return { allowed: allowed === 1, retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}
