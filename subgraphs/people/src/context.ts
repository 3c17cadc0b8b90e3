import type { IncomingMessage } from 'node:http';
import { readUserId } from '@cinema/kit';
import type { Kysely } from 'kysely';
import type { PeopleDatabase } from './db/database.js';
import { createLoaders, type PeopleLoaders } from './loaders.js';

export interface PeopleContext {
  db: Kysely<PeopleDatabase>;
  loaders: PeopleLoaders;
  /** The signed-in user as verified by the router, or null for anonymous requests. */
  userId: string | null;
}

/** Builds a fresh context (and fresh loaders) for each request. */
export function createContextFactory(db: Kysely<PeopleDatabase>) {
  return async (req: IncomingMessage): Promise<PeopleContext> => {
    return { db, loaders: createLoaders(db), userId: readUserId(req.headers) };
  };
}
