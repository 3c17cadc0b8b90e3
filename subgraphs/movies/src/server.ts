import { readFileSync } from 'node:fs';
import { pingDatabase } from '@cinema/db';
import type { EntityCache } from '@cinema/kit/cache';
import { CATALOGUE_FEED_PATH } from '@cinema/kit/catalogue-feed';
import { createSubgraphServer, type SubgraphServer, type SubgraphServiceOptions } from '@cinema/kit/subgraph';
import { parse } from 'graphql';
import type { Kysely } from 'kysely';
import { catalogueFeedRoute } from './catalogue-feed.js';
import { createContextFactory } from './context.js';
import type { MovieRow, MoviesDatabase } from './db/database.js';
import { resolvers } from './resolvers.js';
import type { StreamLinks } from './stream-links.js';

/** The movies subgraph's SDL, as composed into the supergraph by `npm run schema:compose`. */
export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface MoviesServerOptions extends SubgraphServiceOptions {
  db: Kysely<MoviesDatabase>;
  /** Signs playback URLs for `Movie.stream`; without it the field answers STREAMING_UNAVAILABLE. */
  streamLinks?: StreamLinks;
  /** Read-through cache of movies by id (see `createMovieCache`); without it every lookup reads PostgreSQL. */
  movieCache?: EntityCache<number, MovieRow>;
}

/** Builds the movies subgraph (catalogue, genres, catalogue feed) without listening. */
export function createMoviesServer({
  db,
  logger,
  development,
  subgraphSecret,
  streamLinks,
  movieCache,
  loaderOptions,
  metrics,
}: MoviesServerOptions): Promise<SubgraphServer> {
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
