import type { IncomingMessage } from 'node:http';
import { readUserId } from '@cinema/kit';
import type { Kysely } from 'kysely';
import type { PeopleDatabase } from './db/database.js';
import { createLoaders, type PeopleLoaderDependencies, type PeopleLoaders } from './loaders.js';

export interface PeopleContext {
  db: Kysely<PeopleDatabase>;
  loaders: PeopleLoaders;
  /** The signed-in user as verified by the router, or null for anonymous requests. */
  userId: string | null;
}

/** Builds a fresh context (and fresh loaders) for each request. */
export function createContextFactory(db: Kysely<PeopleDatabase>, loaderDependencies: PeopleLoaderDependencies = {}) {
  return async (req: IncomingMessage): Promise<PeopleContext> => {
    return { db, loaders: createLoaders(db, loaderDependencies), userId: readUserId(req.headers) };
  };
}
