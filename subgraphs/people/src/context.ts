import type { IncomingMessage } from 'node:http';
import { databaseForRequest } from '@cinema/db';
import type { ObservedRequest } from '@cinema/kit/http';
import { readIdentity } from '@cinema/kit/identity';
import type { Kysely } from 'kysely';
import type { PeopleDatabase } from './db/database.js';
import { createLoaders, type PeopleLoaderDependencies, type PeopleLoaders } from './loaders.js';

export interface PeopleContext {
  db: Kysely<PeopleDatabase>;
  loaders: PeopleLoaders;
  /** The signed-in user as verified by the router, or null for anonymous requests. */
  userId: string | null;
}

/**
 * Builds a fresh context (and fresh loaders) for each request. Its database handle cancels the request's SQL when the
 * caller gives up on it (see `databaseForRequest`).
 */
export function createContextFactory(db: Kysely<PeopleDatabase>, loaderDependencies: PeopleLoaderDependencies = {}) {
  return async (req: IncomingMessage, observed?: ObservedRequest): Promise<PeopleContext> => {
    const { userId } = readIdentity(req.headers);
    const requestDb = databaseForRequest(db, observed?.signal);
    return { db: requestDb, loaders: createLoaders(requestDb, loaderDependencies), userId };
  };
}
