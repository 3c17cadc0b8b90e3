import { readFileSync } from 'node:fs';
import { pingDatabase } from '@cinema/db';
import type { CatalogueFollowerOptions } from '@cinema/kit/feed-follower';
import { createSubgraphServer, type SubgraphServer, type SubgraphServiceOptions } from '@cinema/kit/subgraph';
import { parse } from 'graphql';
import type { Kysely } from 'kysely';
import { ArrivalClock } from './arrival-clock.js';
import { createCatalogueSync, type CatalogueSync } from './catalogue-sync.js';
import { createContextFactory } from './context.js';
import type { ViewingDatabase } from './db/database.js';
import { resolvers } from './resolvers.js';

/** The viewing subgraph's SDL, as composed into the supergraph by `npm run schema:compose`. */
export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** With the catalogue feed's settings (`CatalogueFollowerOptions`: movies URLs, poll period, doorbell). */
export interface ViewingServerOptions extends SubgraphServiceOptions, CatalogueFollowerOptions {
  db: Kysely<ViewingDatabase>;
  /** Where request arrival times come from; tests pass their own. */
  clock?: ArrivalClock;
}

export interface ViewingServer extends SubgraphServer {
  catalogueSync: CatalogueSync;
}

/**
 * Builds the viewing subgraph (where each user is in each movie) without listening. The catalogue sync is created
 * but not started: `index.ts` starts it (and its doorbell), tests drive it with `syncOnce()`.
 */
export async function createViewingServer(options: ViewingServerOptions): Promise<ViewingServer> {
  const { db, logger, development } = options;
  const catalogueSync = createCatalogueSync(db, options);
  const subgraph = await createSubgraphServer({
    name: 'viewing',
    typeDefs,
    resolvers,
    context: createContextFactory(db, options.clock ?? new ArrivalClock(), options.loaderOptions),
    logger,
    metrics: options.metrics,
    development,
    subgraphSecret: options.subgraphSecret,
    healthCheck: () => pingDatabase(db),
    workers: [catalogueSync],
  });
  return { ...subgraph, catalogueSync };
}
