import type { IncomingMessage } from 'node:http';
import { readUserId, type LoaderOptions } from '@cinema/kit';
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

/** Builds a fresh context (and fresh loaders bound to the request's user) for each request. */
export function createContextFactory(db: Kysely<ViewingDatabase>, clock: ArrivalClock, loaderOptions: LoaderOptions = {}) {
  return async (req: IncomingMessage): Promise<ViewingContext> => {
    const arrivedAtUs = clock.nowMicros();
    const userId = readUserId(req.headers);
    return { db, loaders: createLoaders(db, userId, loaderOptions), userId, arrivedAtUs, changedEntities: new Set() };
  };
}
