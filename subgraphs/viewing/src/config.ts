import { parseConfig, resolveSubgraphSecret, subgraphConfigSchema, z } from '@cinema/kit/config';

const viewingConfigSchema = subgraphConfigSchema
  .extend({
    /** Base URLs of the movies service (comma-separated replicas), whose catalogue feed says which movies exist. */
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
  })
  .transform(resolveSubgraphSecret);

/** Reads the viewing service's settings once; see README "Configuration". */
export function loadViewingConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(viewingConfigSchema, env);
}
