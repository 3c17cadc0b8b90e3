import type { Logger } from 'pino';
import type { LoaderOptions } from './batch-loaders.js';
import type { ServiceMetrics } from './service-metrics.js';

/**
 * What every subgraph's server factory (`createMoviesServer`, ...) takes besides its database and its own
 * dependencies, so the four factories read alike and document these once.
 */
export interface SubgraphServiceOptions {
  logger: Logger;
  /** Development mode shows internal error messages to clients; production never does. */
  development: boolean;
  /** `SUBGRAPH_SECRET`: requests must carry the router's signature made with it; feed requests are signed with it. */
  subgraphSecret: string;
  /** DataLoader tuning; the benchmarks turn batching off with it. */
  loaderOptions?: LoaderOptions;
  /** Request, GraphQL, pool and cache metrics, served at `/metrics`. */
  metrics?: ServiceMetrics;
}
