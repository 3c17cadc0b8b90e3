import type { IncomingMessage } from 'node:http';
import { databaseForRequest } from '@cinema/db';
import type { EntityCache } from '@cinema/kit/cache';
import type { ObservedRequest } from '@cinema/kit/http';
import { readIdentity } from '@cinema/kit/identity';
import type { Kysely } from 'kysely';
import type { MovieRow, MoviesDatabase } from './db/database.js';
import { createLoaders, type MoviesLoaderDependencies, type MoviesLoaders } from './loaders.js';
import type { StreamLinks } from './stream-links.js';

export interface MoviesContext {
  db: Kysely<MoviesDatabase>;
  loaders: MoviesLoaders;
  /** The signed-in user as verified by the router, or null for anonymous requests. */
  userId: string | null;
  /** The signed-in user's roles from the token (e.g. `editor`); empty for anonymous requests. */
  roles: readonly string[];
  /** Signs playback URLs; undefined when no chunk servers are configured. */
  streamLinks: StreamLinks | undefined;
  /** The movie entity cache, which write paths clear for what they changed; undefined without Redis. */
  movieCache: EntityCache<number, MovieRow> | undefined;
  /** Entities this request changed, sent to the router so it invalidates cached responses holding them. */
  changedEntities: Set<string>;
}

/**
 * Builds a fresh context (and fresh loaders) for each request. Its database handle cancels the request's SQL when the
 * caller gives up on it (see `databaseForRequest`).
 */
export function createContextFactory(db: Kysely<MoviesDatabase>, streamLinks?: StreamLinks, loaderDependencies: MoviesLoaderDependencies = {}) {
  return async (req: IncomingMessage, observed?: ObservedRequest): Promise<MoviesContext> => {
    const { userId, roles } = readIdentity(req.headers);
    const requestDb = databaseForRequest(db, observed?.signal);
    return {
      db: requestDb,
      loaders: createLoaders(requestDb, loaderDependencies),
      userId,
      roles,
      streamLinks,
      movieCache: loaderDependencies.movieCache,
      changedEntities: new Set(),
    };
  };
}
