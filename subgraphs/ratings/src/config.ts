import { DEVELOPMENT_JWT_SECRET, jwtSecretSetting, parseConfig, resolveSubgraphSecret, subgraphConfigSchema, z } from '@cinema/kit/config';

const ratingsConfigSchema = subgraphConfigSchema
  .extend({
    /** Base URLs of the movies service (comma-separated replicas), whose catalogue feed fills the genre projection. */
    MOVIES_FEED_URL: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().url()).min(1)),
    /**
     * How often to poll the feed once caught up. Changes normally arrive through a LISTEN/NOTIFY doorbell within
     * milliseconds; the poll only covers notifications lost while the listener reconnects.
     */
    CATALOGUE_SYNC_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
    /** HS256 secret of the tokens `signUp` and `logIn` issue: the router's JWT_SECRET, so the router accepts them. */
    JWT_SECRET: jwtSecretSetting,
  })
  .transform(resolveSubgraphSecret)
  .transform((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'JWT_SECRET is required when NODE_ENV=production (the development default is refused)' });
    }
    return { ...config, jwtSecret: config.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET };
  });

/** Reads the ratings service's settings once; see README "Configuration". */
export function loadRatingsConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(ratingsConfigSchema, env);
}
