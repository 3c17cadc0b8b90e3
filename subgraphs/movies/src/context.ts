import type { IncomingMessage } from 'node:http';
import { readIdentity } from '@cinema/kit';
import type { Kysely } from 'kysely';
import type { MoviesDatabase } from './db/database.js';
import { createLoaders, type MoviesLoaders } from './loaders.js';
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
}

/** Builds a fresh context (and fresh loaders) for each request. */
export function createContextFactory(db: Kysely<MoviesDatabase>, streamLinks?: StreamLinks) {
  return async (req: IncomingMessage): Promise<MoviesContext> => {
    const { userId, roles } = readIdentity(req.headers);
    return { db, loaders: createLoaders(db), userId, roles, streamLinks };
  };
}
