import { parseConfig, subgraphConfigSchema } from '@cinema/kit';

const moviesConfigSchema = subgraphConfigSchema.extend({});

export type MoviesConfig = ReturnType<typeof loadMoviesConfig>;

/** Reads the movies service's settings once; see README "Configuration". */
export function loadMoviesConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(moviesConfigSchema, env);
}
