import type { IncomingMessage } from 'node:http';
import { databaseForRequest } from '@cinema/db';
import type { ObservedRequest } from '@cinema/kit/http';
import { readIdentity } from '@cinema/kit/identity';
import type { LoaderOptions } from '@cinema/kit/loaders';
import type { Kysely } from 'kysely';
import type { RatingsDatabase } from './db/database.js';
import { createLoaders, type RatingsLoaders } from './loaders.js';

export interface RatingsContext {
  db: Kysely<RatingsDatabase>;
  loaders: RatingsLoaders;
  /** The signed-in user as verified by the router, or null for anonymous requests. */
  userId: string | null;
  /** Entities this request changed, sent to the router so it invalidates cached responses holding them. */
  changedEntities: Set<string>;
}

/**
 * Builds a fresh context (and fresh loaders bound to the request's user) for each request. Its database handle cancels
 * the request's SQL when the caller gives up on it (see `databaseForRequest`).
 */
export function createContextFactory(db: Kysely<RatingsDatabase>, loaderOptions: LoaderOptions = {}) {
  return async (req: IncomingMessage, observed?: ObservedRequest): Promise<RatingsContext> => {
    const { userId } = readIdentity(req.headers);
    const requestDb = databaseForRequest(db, observed?.signal);
    return { db: requestDb, loaders: createLoaders(requestDb, userId, loaderOptions), userId, changedEntities: new Set() };
  };
}
