import { z } from 'zod';
import { envMode, envPort } from './config.js';

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
});
