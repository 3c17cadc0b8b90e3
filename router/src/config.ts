import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envMode, envPort, parseConfig, z } from '@cinema/kit';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A secret that only development may use. Outside development a missing JWT_SECRET must stop start-up, because a
 * well-known secret lets anyone mint tokens for any user.
 */
export const DEVELOPMENT_JWT_SECRET = 'cinema-development-secret-not-for-production';

const urlList = z
  .string()
  .transform((value) => value.split(',').map((url) => url.trim()).filter(Boolean))
  .pipe(z.array(z.string().url()).min(1));

const routerConfigSchema = z
  .object({
    NODE_ENV: envMode,
    HOST: z.string().default('127.0.0.1'),
    PORT: envPort.default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    SUPERGRAPH_PATH: z.string().default(path.join(repoRoot, 'schema', 'supergraph.graphql')),
    /** Per-subgraph URL overrides (comma-separated replicas); unset means the supergraph's routing URL. */
    SUBGRAPH_MOVIES_URLS: urlList.optional(),
    SUBGRAPH_PEOPLE_URLS: urlList.optional(),
    SUBGRAPH_RATINGS_URLS: urlList.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'JWT_SECRET is required when NODE_ENV=production (the development default is refused)' });
    }
  })
  .transform((config) => ({
    ...config,
    jwtSecret: config.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    subgraphUrls: {
      movies: config.SUBGRAPH_MOVIES_URLS,
      people: config.SUBGRAPH_PEOPLE_URLS,
      ratings: config.SUBGRAPH_RATINGS_URLS,
    } as Record<string, string[] | undefined>,
  }));

export type RouterConfig = z.output<typeof routerConfigSchema>;

/** Reads the router's settings once; see README "Configuration". */
export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  return parseConfig(routerConfigSchema, env);
}
