import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';
import { envMode, envPort, parseConfig, z } from '@cinema/kit/config';

const launcherConfigSchema = z.object({
  NODE_ENV: envMode,
  /** Router port: the one URL clients use. */
  PORT: envPort.default(4000),
  HOST: z.string().default('127.0.0.1'),
  /** An existing PostgreSQL; when unset, an embedded one is started with its data under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: envPort.default(54329),
  DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  /** Processes per subgraph; the router balances across them, so two survive the loss of one. */
  REPLICAS: z.coerce.number().int().min(1).max(8).default(2),
  /** Demo videos made on first start and assigned to movies without media (0: none). */
  DEMO_VIDEOS: z.coerce.number().int().min(0).max(20).default(3),
  /** Folder of Wikipedia movie data to import (instead of the synthetic seed) when the catalogue is empty. */
  SEED_FROM: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How the console shows every process's log: `pretty` lines or pino's JSON; unset, pretty at a terminal in development. */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  /** The router's RATE_LIMIT (requests per minute per client, 0: off); unset, the router's default. Load tests set 0. */
  RATE_LIMIT: z.coerce.number().int().min(0).optional(),
  /** Redis for the router's response cache and the subgraphs' entity caches; unset, the router caches in process. */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key the platform writes (tests give each run its own). */
  CACHE_KEY_PREFIX: z.string().optional(),
  /** `npm run dev`: port of the web app's hot-reload server (Vite), which proxies `/graphql` to the router. */
  WEB_DEV_PORT: envPort.default(5173),
});

export type LauncherConfig = z.output<typeof launcherConfigSchema>;

/** Reads the launcher's settings; everything has a default so `npm start` needs no environment at all. */
export function loadLauncherConfig(env: NodeJS.ProcessEnv = process.env): LauncherConfig {
  return parseConfig(launcherConfigSchema, env);
}
