import type { PersistedQueryOptions } from '@apollo/server';
import type { RedisConnection } from '@cinema/kit/cache';

type PersistedQueryCache = NonNullable<PersistedQueryOptions['cache']>;

/** How long a registered operation stays without use; clients register it again after that, transparently. */
const DEFAULT_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The automatic-persisted-query store when `REDIS_URL` is set: hash → operation text in Redis, shared by every
 * router instance, so a client registers an operation once, not once per instance. Redis unavailable means a miss
 * (`PERSISTED_QUERY_NOT_FOUND`), after which the APQ protocol has the client send the full text: it degrades to
 * plain queries, never to errors.
 */
export class RedisQueryCache implements PersistedQueryCache {
  constructor(
    private readonly redis: RedisConnection,
    /** e.g. `cinema:apq:`; Apollo's own `apq:` prefix follows it. */
    private readonly keyPrefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.run((client) => client.get(this.keyPrefix + key), null)) ?? undefined;
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl === null ? undefined : (options?.ttl ?? DEFAULT_TTL_SECONDS);
    await this.redis.run((client) => client.set(this.keyPrefix + key, value, ttl ? { expiration: { type: 'EX', value: ttl } } : {}), null);
  }

  async delete(key: string): Promise<boolean> {
    return ((await this.redis.run((client) => client.del(this.keyPrefix + key), 0)) ?? 0) > 0;
  }
}
