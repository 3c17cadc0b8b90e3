import { readFileSync } from 'node:fs';
import { pingDatabase } from '@cinema/db';
import type { EntityCache } from '@cinema/kit/cache';
import { createSubgraphServer, type SubgraphServer, type SubgraphServiceOptions } from '@cinema/kit/subgraph';
import { parse } from 'graphql';
import type { Kysely } from 'kysely';
import { createContextFactory } from './context.js';
import type { PeopleDatabase, PersonRow } from './db/database.js';
import { resolvers } from './resolvers.js';

/** The people subgraph's SDL, as composed into the supergraph by `npm run schema:compose`. */
export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface PeopleServerOptions extends SubgraphServiceOptions {
  db: Kysely<PeopleDatabase>;
  /** Read-through cache of people by id (see `createPersonCache`); without it every lookup reads PostgreSQL. */
  personCache?: EntityCache<number, PersonRow>;
}

/** Builds the people subgraph (people, credits, Movie.cast) without listening. */
export function createPeopleServer({
  db,
  logger,
  development,
  subgraphSecret,
  personCache,
  loaderOptions,
  metrics,
}: PeopleServerOptions): Promise<SubgraphServer> {
  return createSubgraphServer({
    name: 'people',
    typeDefs,
    resolvers,
    context: createContextFactory(db, { ...(personCache ? { personCache } : {}), ...(loaderOptions ? { options: loaderOptions } : {}) }),
    logger,
    metrics,
    development,
    subgraphSecret,
    healthCheck: () => pingDatabase(db),
  });
}
