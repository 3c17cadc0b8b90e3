import { z } from 'zod';
import { envMode, envPort } from './config.js';
import { subgraphSecretSetting } from './development-secrets.js';

/**
 * Settings every subgraph shares. Each service extends this schema with its own variables, so the names are the
 * same everywhere and documented once (README, "Configuration").
 */
export const subgraphConfigSchema = z.object({
  NODE_ENV: envMode,
  HOST: z.string().default('127.0.0.1'),
  PORT: envPort,
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Secret shared with the router, which signs every request it sends (README, "Security"); see resolveSubgraphSecret. */
  SUBGRAPH_SECRET: subgraphSecretSetting,
  /** Redis for the entity cache (movies and people by id); unset, every lookup goes to PostgreSQL. */
  REDIS_URL: z.string().url({ message: 'REDIS_URL must be a redis:// URL' }).optional(),
  /** Prefix of every Redis key this service writes, so that several platforms (or test runs) can share one Redis. */
  CACHE_KEY_PREFIX: z.string().max(100).default('cinema:'),
  /** Lifetime of an entity cache entry; changes made through the API delete entries at once, other writes wait this long. */
  ENTITY_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Longest wait for one Redis command before the service carries on without the cache. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(100),
});
