import type { IncomingMessage } from 'node:http';
import { databaseForRequest } from '@cinema/db';
import type { ObservedRequest } from '@cinema/kit/http';
import { readIdentity } from '@cinema/kit/identity';
import type { LoaderOptions } from '@cinema/kit/loaders';
import type { Kysely } from 'kysely';
import type { ArrivalClock } from './arrival-clock.js';
import type { ViewingDatabase } from './db/database.js';
import { createLoaders, type ViewingLoaders } from './loaders.js';

export interface ViewingContext {
  db: Kysely<ViewingDatabase>;
  loaders: ViewingLoaders;
  /** The signed-in user as verified by the router, or null for anonymous requests. */
  userId: string | null;
  /** When the request reached this process (microseconds): the order in which progress writes count. */
  arrivedAtUs: number;
  /** Entities this request changed, sent to the router so it invalidates cached responses holding them. */
  changedEntities: Set<string>;
}

/**
 * Builds a fresh context (and fresh loaders bound to the request's user) for each request. Its database handle cancels
 * the request's SQL when the caller gives up on it (see `databaseForRequest`), as in every subgraph.
 */
export function createContextFactory(db: Kysely<ViewingDatabase>, clock: ArrivalClock, loaderOptions: LoaderOptions = {}) {
  return async (req: IncomingMessage, observed?: ObservedRequest): Promise<ViewingContext> => {
    const arrivedAtUs = clock.nowMicros();
    const { userId } = readIdentity(req.headers);
    const requestDb = databaseForRequest(db, observed?.signal);
    return { db: requestDb, loaders: createLoaders(requestDb, userId, loaderOptions), userId, arrivedAtUs, changedEntities: new Set() };
  };
}
