import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import KeyvRedis from '@keyv/redis';
import { RedisConnection } from '@cinema/kit/cache';
import type { Identity } from '@cinema/kit/identity';
import type { Logger } from '@cinema/kit/logging';
import { buildASTSchema, parse } from 'graphql';
import type { Registry } from 'prom-client';
import { LruStore } from './lru-store.js';
import { MemoryTagIndex } from './memory-tag-index.js';
import { RedisTagIndex } from './redis-tag-index.js';
import { responseCapturePlugin, type CapturingContext } from './response-capture-plugin.js';
import { ResponseCache } from './response-cache.js';
import { ResponseCacheMetrics } from './response-cache-metrics.js';
import { deadlineOf, ResponseStore } from './response-store.js';
import type { TagIndex } from './tag-index.js';

export interface ResponseCacheSettings {
  REDIS_URL?: string | undefined;
  CACHE_KEY_PREFIX: string;
  RESPONSE_CACHE_MAX_TTL_SECONDS: number;
  RESPONSE_CACHE_MEMORY_ENTRIES: number;
  RESPONSE_CACHE_MAX_BODY_BYTES: number;
  REDIS_COMMAND_TIMEOUT_MS: number;
}

export interface ResponseCacheSetup {
  cache: ResponseCache;
  /** Install in the router's Apollo server: it feeds the cache the schema and each response's policy and tags. */
  plugin: ApolloServerPlugin<CapturingContext>;
  close(): Promise<void>;
}

/** Room for the slowest operation between the clock reading and the write of its entry. */
const EXECUTION_MARGIN_SECONDS = 60;

/**
 * Builds the router's response cache from configuration: on Redis (Keyv over `@keyv/redis`, tag index in Redis,
 * shared by every router instance) when `REDIS_URL` is set, else in process (an LRU, so `npm start` needs no
 * Redis). Its counters go to the router's registry, hits and misses also to the platform's generic cache metrics.
 */
export function createResponseCache(options: {
  settings: ResponseCacheSettings;
  /** The supergraph the gateway serves, as SDL. */
  supergraphSdl: string;
  logger: Logger;
  /** Where the cache's counters go: the router's `/metrics` registry. */
  registry: Registry;
  /** Reports hits and misses to the platform's generic cache metrics, when the router has them. */
  observeCache?: (name: string, stats: () => { hits: number; misses: number }) => void;
  identify: (req: IncomingMessage) => Promise<Identity>;
}): ResponseCacheSetup {
  const { settings, logger } = options;
  const prefix = `${settings.CACHE_KEY_PREFIX}response:`;
  const retentionSeconds = settings.RESPONSE_CACHE_MAX_TTL_SECONDS + EXECUTION_MARGIN_SECONDS;
  let store: ResponseStore;
  let tags: TagIndex;
  let redis: RedisConnection | undefined;
  if (settings.REDIS_URL) {
    redis = new RedisConnection({ url: settings.REDIS_URL, logger, name: 'response-cache', commandTimeoutMs: settings.REDIS_COMMAND_TIMEOUT_MS });
    redis.connect();
    store = new ResponseStore(new KeyvRedis(redis.client, { throwOnErrors: true, throwOnConnectError: false }), deadlineOf(redis));
    tags = new RedisTagIndex({ redis, prefix, retentionSeconds, logger });
  } else {
    store = new ResponseStore(new LruStore(settings.RESPONSE_CACHE_MEMORY_ENTRIES));
    tags = new MemoryTagIndex(retentionSeconds * 1000);
  }
  const metrics = new ResponseCacheMetrics(options.registry);
  options.observeCache?.('router_response', () => metrics.stats());
  const cache = new ResponseCache({
    store,
    tags,
    metrics,
    logger,
    schema: buildASTSchema(parse(options.supergraphSdl), { assumeValidSDL: true }),
    identify: options.identify,
    keyPrefix: prefix,
    maxTtlSeconds: settings.RESPONSE_CACHE_MAX_TTL_SECONDS,
    maxBodyBytes: settings.RESPONSE_CACHE_MAX_BODY_BYTES,
    // With Redis, recently used entries are also kept here (their tags are still checked in Redis on every hit).
    localEntries: redis ? settings.RESPONSE_CACHE_MEMORY_ENTRIES : 0,
  });
  return {
    cache,
    plugin: responseCapturePlugin(),
    close: async () => {
      await tags.close();
      await redis?.close();
    },
  };
}
