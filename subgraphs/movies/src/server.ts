import { readFileSync } from 'node:fs';
import { pingDatabase } from '@cinema/db';
import type { EntityCache } from '@cinema/kit/cache';
import { CATALOGUE_FEED_PATH } from '@cinema/kit/catalogue-feed';
import type { LoaderOptions } from '@cinema/kit/loaders';
import type { Logger } from '@cinema/kit/logging';
import type { ServiceMetrics } from '@cinema/kit/metrics';
import { createSubgraphServer, type SubgraphServer } from '@cinema/kit/subgraph';
import { parse } from 'graphql';
import type { Kysely } from 'kysely';
import { catalogueFeedRoute } from './catalogue-feed.js';
import { createContextFactory } from './context.js';
import type { MovieRow, MoviesDatabase } from './db/database.js';
import { resolvers } from './resolvers.js';
import type { StreamLinks } from './stream-links.js';

/** The movies subgraph's SDL, as composed into the supergraph by `npm run schema:compose`. */
export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface MoviesServerOptions {
  db: Kysely<MoviesDatabase>;
  logger: Logger;
  development: boolean;
  /** `SUBGRAPH_SECRET`: requests must carry the router's signature made with it. */
  subgraphSecret: string;
  /** Signs playback URLs for `Movie.stream`; without it the field answers STREAMING_UNAVAILABLE. */
  streamLinks?: StreamLinks;
  /** Read-through cache of movies by id (see `createMovieCache`); without it every lookup reads PostgreSQL. */
  movieCache?: EntityCache<number, MovieRow>;
  /** DataLoader tuning; the benchmarks turn batching off with it. */
  loaderOptions?: LoaderOptions;
  /** Request, GraphQL, pool and cache metrics, served at `/metrics`. */
  metrics?: ServiceMetrics;
}

/** Builds the movies subgraph (catalogue, genres, catalogue feed) without listening. */
export function createMoviesServer({ db, logger, development, subgraphSecret, streamLinks, movieCache, loaderOptions, metrics }: MoviesServerOptions): Promise<SubgraphServer> {
  return createSubgraphServer({
    name: 'movies',
    typeDefs,
    resolvers,
    context: createContextFactory(db, streamLinks, { ...(movieCache ? { movieCache } : {}), ...(loaderOptions ? { options: loaderOptions } : {}) }),
    logger,
    metrics,
    development,
    subgraphSecret,
    // The ratings service reads it with the shared secret; nobody else may.
    internalRoutes: { [CATALOGUE_FEED_PATH]: catalogueFeedRoute(db) },
    healthCheck: () => pingDatabase(db),
  });
}
